namespace Kinesis.Clients.Metrics;

/// <summary>
/// The finest level each metric is uploaded at, as the KPL's <c>MetricsGranularity</c>. A measurement is uploaded at
/// every level up to this one: overall (no stream or shard dimension), per stream (<c>StreamName</c>) and per shard
/// (<c>StreamName</c> and <c>ShardId</c>); so at <see cref="Shard"/>, two streams of two shards give seven series of
/// one metric.
/// </summary>
public enum MetricsGranularity
{
    /// <summary>Only overall series, without <c>StreamName</c> or <c>ShardId</c>.</summary>
    Global = 0,

    /// <summary>Overall and per stream.</summary>
    Stream = 1,

    /// <summary>Overall, per stream and per shard (the KPL's default).</summary>
    Shard = 2,
}
