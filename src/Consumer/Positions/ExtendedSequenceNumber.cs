namespace Kinesis.Clients.Consumer;

/// <summary>
/// A position in a shard as the lease table stores it: the sequence number of a Kinesis record (or one of the
/// sentinels <c>TRIM_HORIZON</c>, <c>LATEST</c>, <c>AT_TIMESTAMP</c>, <c>SHARD_END</c>) plus the index of a user
/// record inside a KPL aggregate.
/// </summary>
/// <remarks>
/// Ordered as the Java KCL orders it, so checkpoints written by either compare the same: <c>AT_TIMESTAMP</c> &lt;
/// <c>TRIM_HORIZON</c> &lt; <c>LATEST</c> &lt; every sequence number &lt; <c>SHARD_END</c>; sequence numbers compare as
/// unsigned integers of any length, then by sub-sequence number. The default value has no sequence number and
/// cannot be compared; build values with the constructor or the static sentinels.
/// </remarks>
public readonly record struct ExtendedSequenceNumber : IComparable<ExtendedSequenceNumber>, IComparable
{
    /// <summary>The text of the <c>TRIM_HORIZON</c> sentinel.</summary>
    public const string TrimHorizonValue = "TRIM_HORIZON";

    /// <summary>The text of the <c>LATEST</c> sentinel.</summary>
    public const string LatestValue = "LATEST";

    /// <summary>The text of the <c>AT_TIMESTAMP</c> sentinel.</summary>
    public const string AtTimestampValue = "AT_TIMESTAMP";

    /// <summary>The text of the <c>SHARD_END</c> sentinel.</summary>
    public const string ShardEndValue = "SHARD_END";

    /// <summary>Creates a position.</summary>
    /// <param name="sequenceNumber">A sequence number (decimal digits) or one of the four sentinels.</param>
    /// <param name="subSequenceNumber">Index of the user record inside an aggregated record; 0 for a plain record.</param>
    /// <exception cref="ArgumentException"><paramref name="sequenceNumber"/> is neither digits nor a sentinel.</exception>
    public ExtendedSequenceNumber(string sequenceNumber, long subSequenceNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(sequenceNumber);
        if (Rank(sequenceNumber) is null)
        {
            throw new ArgumentException(
                $"A checkpoint must be a sequence number (decimal digits) or one of {TrimHorizonValue}, {LatestValue}, {AtTimestampValue}, {ShardEndValue}; got '{Shorten(sequenceNumber)}'.",
                nameof(sequenceNumber));
        }

        SequenceNumber = sequenceNumber;
        SubSequenceNumber = subSequenceNumber;
    }

    /// <summary>Start of the shard's retained records.</summary>
    public static ExtendedSequenceNumber TrimHorizon => new(TrimHorizonValue);

    /// <summary>Just after the newest record.</summary>
    public static ExtendedSequenceNumber Latest => new(LatestValue);

    /// <summary>From a point in time (the time itself is part of the consumer's configuration, not the lease).</summary>
    public static ExtendedSequenceNumber AtTimestamp => new(AtTimestampValue);

    /// <summary>The shard is closed and every record in it has been processed.</summary>
    public static ExtendedSequenceNumber ShardEnd => new(ShardEndValue);

    /// <summary>The sequence number of the Kinesis record, or a sentinel.</summary>
    public string SequenceNumber { get; }

    /// <summary>The index of the user record inside an aggregated Kinesis record; 0 for a plain record.</summary>
    public long SubSequenceNumber { get; }

    /// <summary>Whether this is one of the four sentinels rather than a record's sequence number.</summary>
    public bool IsSentinel => SequenceNumber is not null && !IsDigits(SequenceNumber);

    /// <summary>Whether this is <c>SHARD_END</c>: the shard has been processed to its end.</summary>
    public bool IsShardEnd => SequenceNumber == ShardEndValue;

    /// <inheritdoc/>
    public int CompareTo(ExtendedSequenceNumber other)
    {
        var left = Rank(SequenceNumber ?? throw Unset()) ?? 0;
        var right = Rank(other.SequenceNumber ?? throw Unset()) ?? 0;
        var result = left.CompareTo(right);
        if (result == 0 && left == NumberRank)
        {
            result = CompareDigits(SequenceNumber, other.SequenceNumber);
        }

        return result != 0 ? result : SubSequenceNumber.CompareTo(other.SubSequenceNumber);
    }

    /// <inheritdoc/>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        ExtendedSequenceNumber other => CompareTo(other),
        _ => throw new ArgumentException($"Cannot compare an {nameof(ExtendedSequenceNumber)} with a {obj.GetType().Name}.", nameof(obj)),
    };

    /// <summary>The position as <c>sequence/sub-sequence</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{SequenceNumber}/{SubSequenceNumber}";

    /// <summary>Whether <paramref name="left"/> comes before <paramref name="right"/>.</summary>
    /// <param name="left">The first position.</param>
    /// <param name="right">The second position.</param>
    /// <returns><see langword="true"/> if earlier.</returns>
    public static bool operator <(ExtendedSequenceNumber left, ExtendedSequenceNumber right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> comes before or at <paramref name="right"/>.</summary>
    /// <param name="left">The first position.</param>
    /// <param name="right">The second position.</param>
    /// <returns><see langword="true"/> if not later.</returns>
    public static bool operator <=(ExtendedSequenceNumber left, ExtendedSequenceNumber right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> comes after <paramref name="right"/>.</summary>
    /// <param name="left">The first position.</param>
    /// <param name="right">The second position.</param>
    /// <returns><see langword="true"/> if later.</returns>
    public static bool operator >(ExtendedSequenceNumber left, ExtendedSequenceNumber right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> comes after or at <paramref name="right"/>.</summary>
    /// <param name="left">The first position.</param>
    /// <param name="right">The second position.</param>
    /// <returns><see langword="true"/> if not earlier.</returns>
    public static bool operator >=(ExtendedSequenceNumber left, ExtendedSequenceNumber right) => left.CompareTo(right) >= 0;

    // The KCL maps AT_TIMESTAMP, TRIM_HORIZON and LATEST to -3, -2, -1 below every sequence number, and puts
    // SHARD_END above everything.
    private const int NumberRank = 3;

    private static int? Rank(string sequenceNumber) => sequenceNumber switch
    {
        AtTimestampValue => 0,
        TrimHorizonValue => 1,
        LatestValue => 2,
        ShardEndValue => 4,
        _ when IsDigits(sequenceNumber) => NumberRank,
        _ => null,
    };

    private static bool IsDigits(string s)
    {
        if (s.Length == 0)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    // Sequence numbers are up to 56 digits today, beyond any built-in integer; comparing the digits without
    // leading zeros by length, then ordinally, is the same as comparing their values.
    private static int CompareDigits(string left, string right)
    {
        var a = left.AsSpan().TrimStart('0');
        var b = right.AsSpan().TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
    }

    private static InvalidOperationException Unset() =>
        new($"The default {nameof(ExtendedSequenceNumber)} has no sequence number and cannot be compared.");

    private static string Shorten(string s) => s.Length <= 64 ? s : string.Concat(s.AsSpan(0, 64), "…");
}
