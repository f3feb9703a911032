using System.Globalization;

namespace Kinesis.Clients;

/// <summary>
/// Where in a shard a subscription starts: SubscribeToShard's <c>StartingPosition</c>. Build one with the static
/// members; a subscription that resumes uses <see cref="AfterSequenceNumber"/> of the last event's
/// <see cref="SubscribeToShardEvent.ContinuationSequenceNumber"/>.
/// </summary>
/// <param name="Type">The position type.</param>
/// <param name="SequenceNumber">For <see cref="ShardIteratorType.AtSequenceNumber"/> and <see cref="ShardIteratorType.AfterSequenceNumber"/>.</param>
/// <param name="Timestamp">For <see cref="ShardIteratorType.AtTimestamp"/>.</param>
public readonly record struct SubscribePosition(ShardIteratorType Type, string? SequenceNumber, DateTimeOffset? Timestamp)
{
    /// <summary>The oldest record still retained.</summary>
    public static SubscribePosition TrimHorizon => new(ShardIteratorType.TrimHorizon, null, null);

    /// <summary>Only records put after the subscription starts.</summary>
    public static SubscribePosition Latest => new(ShardIteratorType.Latest, null, null);

    /// <summary>The record with <paramref name="sequenceNumber"/> and those after it.</summary>
    public static SubscribePosition AtSequenceNumber(string sequenceNumber) =>
        new(ShardIteratorType.AtSequenceNumber, RequireSequenceNumber(sequenceNumber), null);

    /// <summary>The records after <paramref name="sequenceNumber"/>: how a subscription resumes from a continuation sequence number.</summary>
    public static SubscribePosition AfterSequenceNumber(string sequenceNumber) =>
        new(ShardIteratorType.AfterSequenceNumber, RequireSequenceNumber(sequenceNumber), null);

    /// <summary>The first record that arrived at or after <paramref name="timestamp"/>.</summary>
    public static SubscribePosition AtTimestamp(DateTimeOffset timestamp) => new(ShardIteratorType.AtTimestamp, null, timestamp);

    /// <summary>The API's name of <see cref="Type"/>, e.g. <c>AFTER_SEQUENCE_NUMBER</c>.</summary>
    internal string WireType => Type.ToWireName();

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        ShardIteratorType.AtSequenceNumber or ShardIteratorType.AfterSequenceNumber => $"{WireType} {SequenceNumber}",
        ShardIteratorType.AtTimestamp => $"{WireType} {Timestamp?.ToString("O", CultureInfo.InvariantCulture)}",
        _ => WireType,
    };

    private static string RequireSequenceNumber(string sequenceNumber)
    {
        ArgumentException.ThrowIfNullOrEmpty(sequenceNumber);
        if (!sequenceNumber.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"A sequence number is a decimal number; got '{sequenceNumber}'.", nameof(sequenceNumber));
        }

        return sequenceNumber;
    }
}
