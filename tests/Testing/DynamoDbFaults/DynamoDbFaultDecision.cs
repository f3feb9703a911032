namespace Kinesis.Clients.Testing;

/// <summary>What the rules decided for one request: a delay first, then at most one fault.</summary>
internal readonly record struct DynamoDbFaultDecision(TimeSpan Latency, DynamoDbFaultKind? Fault);
