namespace Kinesis.Clients.Consumer.Positions;

/// <summary>Where a shard reader starts; see <see cref="StartingPosition"/>.</summary>
internal enum StartingPositionKind
{
    /// <summary>At the oldest record still retained.</summary>
    TrimHorizon,

    /// <summary>After the newest record: only records put from now on.</summary>
    Latest,

    /// <summary>At the first record that arrived at or after a time.</summary>
    AtTimestamp,

    /// <summary>
    /// Right after a checkpointed user record, which may sit inside an aggregate: the Kinesis record is read
    /// again (<c>AT_SEQUENCE_NUMBER</c>) and its sub-records up to the checkpoint are skipped.
    /// </summary>
    AfterCheckpoint,

    /// <summary>Right after a Kinesis record every sub-record of which was delivered (<c>AFTER_SEQUENCE_NUMBER</c>).</summary>
    AfterRecord,
}
