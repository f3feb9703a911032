namespace Kinesis.Clients.Metrics;

/// <summary>
/// A fixed dimension added to every uploaded metric (the KPL's additional dimensions), e.g. the host name.
/// </summary>
/// <param name="Name">The dimension name.</param>
/// <param name="Value">The dimension value.</param>
/// <param name="Granularity">
/// Where it goes in the hierarchy: <see cref="MetricsGranularity.Global"/> adds it to every series,
/// <see cref="MetricsGranularity.Stream"/> to per-stream and per-shard series, <see cref="MetricsGranularity.Shard"/>
/// to per-shard series only.
/// </param>
public sealed record AdditionalMetricsDimension(string Name, string Value, MetricsGranularity Granularity);
