namespace Kinesis.Clients.Consumer.Positions;

/// <summary>
/// The position of one user record in a shard: a Kinesis sequence number and the index of the sub-record inside
/// it (the KCL's extended sequence number without its sentinels). Ordered by sequence number, then sub-sequence.
/// </summary>
/// <param name="SequenceNumber">The Kinesis record's sequence number, in decimal.</param>
/// <param name="SubSequenceNumber">The sub-record's index inside it, from 0.</param>
internal readonly record struct RecordPosition(string SequenceNumber, long SubSequenceNumber) : IComparable<RecordPosition>
{
    /// <inheritdoc/>
    public int CompareTo(RecordPosition other)
    {
        var bySequence = CompareSequenceNumbers(SequenceNumber, other.SequenceNumber);
        return bySequence != 0 ? bySequence : SubSequenceNumber.CompareTo(other.SubSequenceNumber);
    }

    /// <summary>Compares two sequence numbers by value.</summary>
    /// <remarks>
    /// Sequence numbers are decimals of up to 129 digits without leading zeros (the API's pattern), too long for
    /// any integer type: the shorter is the smaller, and equal lengths compare digit by digit.
    /// </remarks>
    /// <param name="left">A sequence number.</param>
    /// <param name="right">Another.</param>
    /// <returns>Negative, zero or positive as <paramref name="left"/> is below, equal to or above <paramref name="right"/>.</returns>
    public static int CompareSequenceNumbers(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return left.Length != right.Length
            ? left.Length.CompareTo(right.Length)
            : string.CompareOrdinal(left, right);
    }

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    public static bool operator <(RecordPosition left, RecordPosition right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is at or before <paramref name="right"/>.</summary>
    public static bool operator <=(RecordPosition left, RecordPosition right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    public static bool operator >(RecordPosition left, RecordPosition right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is at or after <paramref name="right"/>.</summary>
    public static bool operator >=(RecordPosition left, RecordPosition right) => left.CompareTo(right) >= 0;

    /// <summary>The position as <c>sequence/sub-sequence</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{SequenceNumber}/{SubSequenceNumber}";
}
