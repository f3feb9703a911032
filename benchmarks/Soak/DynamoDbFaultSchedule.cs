using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Soak;

/// <summary>
/// Faults on the DynamoDB fault proxy in front of the lease table, one kind at a time with calm stretches between:
/// throttled lease writes (a share of UpdateItem calls, as a table short of write capacity), 500s on lease listing
/// (Scan), lease writes applied but their replies lost, and 500 ms of latency on every call. Each is partial, so
/// renewals mostly land within the failover time: the soak shows what that costs (lease moves, duplicates), not a
/// table that is down.
/// </summary>
internal sealed class DynamoDbFaultSchedule(DynamoDbFaultProxy proxy, TimeSpan phase, TimeSpan calm)
{
    public const string Throttling = "lease writes throttled (ProvisionedThroughputExceeded, 30 %)";
    public const string ScanErrors = "lease listing failed (Scan, HTTP 500, 50 %)";
    public const string LostReplies = "lease writes applied, reply lost (HTTP 500 after write, 10 %)";
    public const string Latency = "DynamoDB calls delayed 500 ms";

    private static readonly (string Name, DynamoDbFaultRule Rule)[] Rotation =
    [
        (Throttling, new DynamoDbFaultRule(DynamoDbFaultKind.ProvisionedThroughputExceeded) { Operation = "UpdateItem", Probability = 0.3 }),
        (ScanErrors, new DynamoDbFaultRule(DynamoDbFaultKind.InternalServerError) { Operation = "Scan", Probability = 0.5 }),
        (LostReplies, new DynamoDbFaultRule(DynamoDbFaultKind.InternalServerErrorAfterWrite) { Operation = "UpdateItem", Probability = 0.1 }),
        (Latency, new DynamoDbFaultRule(DynamoDbFaultKind.Latency) { Delay = TimeSpan.FromMilliseconds(500) }),
    ];

    private readonly Dictionary<string, long> _counts = Rotation.ToDictionary(r => r.Name, _ => 0L, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> Counts => _counts;

    public Task RunAsync(CancellationToken cancellationToken) => FaultRotation.RunAsync(
        Rotation,
        calm,
        kind =>
        {
            var injection = proxy.Faults.Add(kind.Rule);
            return () =>
            {
                injection.Remove();
                _counts[kind.Name] += injection.Hits;
            };
        },
        (_, token) => Task.Delay(phase, token),
        cancellationToken);
}
