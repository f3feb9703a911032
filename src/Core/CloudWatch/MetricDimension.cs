namespace Kinesis.Clients.CloudWatch;

/// <summary>
/// One name/value pair of a metric's identity, e.g. <c>StreamName</c> = <c>orders</c>.
/// </summary>
/// <param name="Name">1-255 printable ASCII characters, not starting with <c>:</c>.</param>
/// <param name="Value">1-1,024 printable ASCII characters.</param>
public readonly record struct MetricDimension(string Name, string Value);
