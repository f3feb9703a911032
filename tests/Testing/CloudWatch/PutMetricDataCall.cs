using Kinesis.Clients.CloudWatch;

namespace Kinesis.Clients.Testing;

/// <summary>One PutMetricData call <see cref="LoopbackCloudWatch"/> accepted, as parsed from the wire.</summary>
/// <param name="Namespace">The <c>Namespace</c> parameter.</param>
/// <param name="Data">The <c>MetricData.member.N</c> entries in member order.</param>
/// <param name="Region">The region of the signature's credential scope.</param>
/// <param name="RequestId">The request id the server answered with.</param>
/// <param name="BodyBytes">The size of the form-encoded body.</param>
public sealed record PutMetricDataCall(
    string Namespace,
    IReadOnlyList<MetricDatum> Data,
    string Region,
    string RequestId,
    int BodyBytes);
