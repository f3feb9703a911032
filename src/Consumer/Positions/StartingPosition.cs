using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Positions;

/// <summary>
/// Where a shard reader (polling or enhanced fan-out) starts, and how that maps to a shard iterator type.
/// </summary>
/// <remarks>
/// <para>
/// A KCL checkpoint <c>(sequence, subSequence)</c> says that user record and all before it were processed; it does
/// not say whether the Kinesis record was an aggregate with more sub-records after it. A checkpoint with
/// sub-sequence 0 may be a plain record fully processed or the first of fifty sub-records. So
/// <see cref="AfterCheckpoint"/> always reads the Kinesis record again (<c>AT_SEQUENCE_NUMBER</c>) and skips its
/// sub-records up to the checkpoint, as the KCL does when it starts from a lease; re-reading one record is the
/// price, and nothing is lost or repeated. Only a reader that knows it delivered every sub-record of a Kinesis
/// record (its own position after a batch, or a fan-out continuation sequence number) uses
/// <see cref="AfterRecord"/> (<c>AFTER_SEQUENCE_NUMBER</c>), as the KCL does when it reconnects.
/// </para>
/// <para>Instances are immutable; two equal positions compare equal.</para>
/// </remarks>
internal sealed record StartingPosition
{
    private StartingPosition(StartingPositionKind kind, string? sequenceNumber, long subSequenceNumber, DateTimeOffset? timestamp)
    {
        Kind = kind;
        SequenceNumber = sequenceNumber;
        SubSequenceNumber = subSequenceNumber;
        Timestamp = timestamp;
    }

    /// <summary>At the oldest record still retained.</summary>
    public static StartingPosition TrimHorizon { get; } = new(StartingPositionKind.TrimHorizon, null, 0, null);

    /// <summary>After the newest record: only records put from when the iterator is taken.</summary>
    public static StartingPosition Latest { get; } = new(StartingPositionKind.Latest, null, 0, null);

    /// <summary>What kind of position this is.</summary>
    public StartingPositionKind Kind { get; }

    /// <summary>The sequence number of <see cref="StartingPositionKind.AfterCheckpoint"/> and <see cref="StartingPositionKind.AfterRecord"/>.</summary>
    public string? SequenceNumber { get; }

    /// <summary>
    /// For <see cref="StartingPositionKind.AfterCheckpoint"/>, the checkpointed sub-record: it and those before it
    /// are skipped. For <see cref="StartingPositionKind.AfterRecord"/>, the last sub-record of the Kinesis record,
    /// so that <see cref="Checkpoint"/> is what a processor that took everything would checkpoint. Else 0.
    /// </summary>
    public long SubSequenceNumber { get; }

    /// <summary>The time of <see cref="StartingPositionKind.AtTimestamp"/>.</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>
    /// For the two sequence-number kinds, the last user record already delivered: nothing at or before it is
    /// delivered again. <see langword="null"/> for the others.
    /// </summary>
    public RecordPosition? Checkpoint => SequenceNumber is null ? null : new RecordPosition(SequenceNumber, SubSequenceNumber);

    /// <summary>The shard iterator type that starts here.</summary>
    public ShardIteratorType IteratorType => Kind switch
    {
        StartingPositionKind.TrimHorizon => ShardIteratorType.TrimHorizon,
        StartingPositionKind.Latest => ShardIteratorType.Latest,
        StartingPositionKind.AtTimestamp => ShardIteratorType.AtTimestamp,
        StartingPositionKind.AfterCheckpoint => ShardIteratorType.AtSequenceNumber,
        _ => ShardIteratorType.AfterSequenceNumber,
    };

    /// <summary>At the first record that arrived at or after <paramref name="timestamp"/>.</summary>
    /// <param name="timestamp">The time.</param>
    /// <returns>The position.</returns>
    public static StartingPosition AtTimestamp(DateTimeOffset timestamp) => new(StartingPositionKind.AtTimestamp, null, 0, timestamp);

    /// <summary>
    /// Right after a checkpointed user record: the Kinesis record <paramref name="sequenceNumber"/> is read again
    /// and its sub-records up to <paramref name="subSequenceNumber"/> are skipped.
    /// </summary>
    /// <param name="sequenceNumber">The checkpoint's sequence number.</param>
    /// <param name="subSequenceNumber">The checkpoint's sub-sequence number, 0 or more.</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentException">The sequence number is not a decimal, or the sub-sequence number is negative.</exception>
    public static StartingPosition AfterCheckpoint(string sequenceNumber, long subSequenceNumber)
    {
        RequireSequenceNumber(sequenceNumber);
        ArgumentOutOfRangeException.ThrowIfNegative(subSequenceNumber);
        return new(StartingPositionKind.AfterCheckpoint, sequenceNumber, subSequenceNumber, null);
    }

    /// <summary>
    /// Right after a Kinesis record all of whose sub-records were delivered; <paramref name="lastSubSequenceNumber"/>
    /// is the last of them (0 for a plain record), kept so that <see cref="Checkpoint"/> names it.
    /// </summary>
    /// <param name="sequenceNumber">The Kinesis record's sequence number.</param>
    /// <param name="lastSubSequenceNumber">Its last sub-record's index.</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentException">The sequence number is not a decimal, or the sub-sequence number is negative.</exception>
    public static StartingPosition AfterRecord(string sequenceNumber, long lastSubSequenceNumber = 0)
    {
        RequireSequenceNumber(sequenceNumber);
        ArgumentOutOfRangeException.ThrowIfNegative(lastSubSequenceNumber);
        return new(StartingPositionKind.AfterRecord, sequenceNumber, lastSubSequenceNumber, null);
    }

    /// <summary>
    /// The position to resume a lease from, given its checkpoint as the KCL lease table stores it.
    /// </summary>
    /// <param name="checkpoint">
    /// <c>TRIM_HORIZON</c>, <c>LATEST</c>, <c>AT_TIMESTAMP</c>, or a sequence number.
    /// </param>
    /// <param name="subSequenceNumber">The lease's <c>checkpointSubSequenceNumber</c>.</param>
    /// <param name="initialTimestamp">The consumer's initial timestamp, which <c>AT_TIMESTAMP</c> refers to.</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentException">
    /// The checkpoint is <c>SHARD_END</c> (nothing is left to read), <c>AT_TIMESTAMP</c> without a timestamp, or
    /// not a sequence number.
    /// </exception>
    public static StartingPosition FromCheckpoint(string checkpoint, long subSequenceNumber, DateTimeOffset? initialTimestamp = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpoint);
        return checkpoint switch
        {
            ExtendedSequenceNumber.TrimHorizonValue => TrimHorizon,
            ExtendedSequenceNumber.LatestValue => Latest,
            ExtendedSequenceNumber.AtTimestampValue => initialTimestamp is { } at
                ? AtTimestamp(at)
                : throw new ArgumentException("An AT_TIMESTAMP checkpoint needs the consumer's initial timestamp.", nameof(initialTimestamp)),
            ExtendedSequenceNumber.ShardEndValue => throw new ArgumentException(
                "A lease checkpointed at SHARD_END has nothing left to read; it is not given to a reader.", nameof(checkpoint)),
            _ => AfterCheckpoint(checkpoint, subSequenceNumber),
        };
    }

    /// <summary>The GetShardIterator call that starts here.</summary>
    /// <param name="stream">The stream name, or its ARN (anything starting with <c>arn:</c>).</param>
    /// <param name="shardId">The shard.</param>
    /// <returns>The request.</returns>
    public GetShardIteratorRequest ToIteratorRequest(string stream, string shardId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentException.ThrowIfNullOrEmpty(shardId);
        var isArn = stream.StartsWith("arn:", StringComparison.Ordinal);
        return new GetShardIteratorRequest
        {
            StreamName = isArn ? null : stream,
            StreamArn = isArn ? stream : null,
            ShardId = shardId,
            IteratorType = IteratorType,
            StartingSequenceNumber = SequenceNumber,
            Timestamp = Timestamp,
        };
    }

    /// <summary>The position for logs, e.g. <c>AfterCheckpoint 4957…/3</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Kind switch
    {
        StartingPositionKind.AtTimestamp => $"AtTimestamp {Timestamp:O}",
        StartingPositionKind.AfterCheckpoint or StartingPositionKind.AfterRecord => $"{Kind} {SequenceNumber}/{SubSequenceNumber}",
        _ => Kind.ToString(),
    };

    private static void RequireSequenceNumber(string sequenceNumber)
    {
        ArgumentException.ThrowIfNullOrEmpty(sequenceNumber);
        foreach (var c in sequenceNumber)
        {
            if (!char.IsAsciiDigit(c))
            {
                throw new ArgumentException($"A sequence number is a decimal; got '{sequenceNumber}'.", nameof(sequenceNumber));
            }
        }
    }
}
