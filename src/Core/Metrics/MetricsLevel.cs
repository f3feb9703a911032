namespace Kinesis.Clients.Metrics;

/// <summary>
/// How much is uploaded to CloudWatch, as the KPL's <c>MetricsLevel</c>: each metric is declared at
/// <see cref="Summary"/> or <see cref="Detailed"/>, and those above the configured level are not uploaded.
/// </summary>
public enum MetricsLevel
{
    /// <summary>Nothing is uploaded.</summary>
    None = 0,

    /// <summary>Only the metrics declared at <see cref="Summary"/>.</summary>
    Summary = 1,

    /// <summary>Every declared metric (the KPL's default).</summary>
    Detailed = 2,
}
