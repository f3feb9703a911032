namespace Kinesis.Clients.Producer;

/// <summary>Where Kinesis stored a user record, and how it got there.</summary>
/// <param name="StreamName">The stream.</param>
/// <param name="ShardId">The shard that took the record.</param>
/// <param name="SequenceNumber">The sequence number of the Kinesis record holding it.</param>
/// <param name="SubSequenceNumber">Its index inside that Kinesis record when aggregated; 0 when sent alone.</param>
/// <param name="IsAggregated">Whether it travelled inside a KPL aggregate.</param>
/// <param name="Attempts">Every attempt to send it, in order; the last one succeeded.</param>
public sealed record PutResult(
    string StreamName,
    string ShardId,
    string SequenceNumber,
    int SubSequenceNumber,
    bool IsAggregated,
    IReadOnlyList<Attempt> Attempts);
