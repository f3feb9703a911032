using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Soak;

/// <summary>
/// Faults on the limits proxy in front of Kinesis, one kind at a time with calm stretches between them, in a fixed
/// rotation: throttling (HTTP 400 ProvisionedThroughputExceededException on PutRecords and GetRecords), connection
/// resets, HTTP 500, HTTP 503, 2 s of latency on every request, and PutRecords entries failed inside a 200 reply.
/// What each kind did is read from the proxy's counters at the end of its stretch (kinds never overlap).
/// </summary>
internal sealed class ProxyFaultSchedule(KinesisLimitsProxy proxy, TimeSpan phase, TimeSpan calm)
{
    public const string Throttling = "throttling (400 ProvisionedThroughputExceeded, injected)";
    public const string Resets = "connection resets";
    public const string Errors500 = "HTTP 500 InternalFailure";
    public const string Errors503 = "HTTP 503 ServiceUnavailable";
    public const string Latency = "requests delayed 2 s";
    public const string EntryFailures = "PutRecords entries failed (InternalFailure)";

    private static readonly string[] Rotation = [Throttling, Resets, Errors500, Latency, EntryFailures, Errors503];
    private readonly Dictionary<string, long> _counts = Rotation.ToDictionary(k => k, _ => 0L, StringComparer.Ordinal);
    private readonly List<FaultWindow> _windows = [];

    public IReadOnlyDictionary<string, long> Counts => _counts;

    public IReadOnlyList<FaultWindow> Windows => _windows;

    public Task RunAsync(CancellationToken cancellationToken) => FaultRotation.RunAsync(
        Rotation,
        calm,
        kind =>
        {
            var before = proxy.Stats;
            var window = new FaultWindow(kind, FaultWindow.Now(), 0);
            return () =>
            {
                proxy.Faults.Clear();
                var after = proxy.Stats;
                _counts[kind] += kind switch
                {
                    Resets => after.InjectedResets - before.InjectedResets,
                    Latency => after.Requests - before.Requests,
                    EntryFailures => after.InjectedEntryFailures - before.InjectedEntryFailures,
                    _ => after.InjectedFailures - before.InjectedFailures,
                };
                _windows.Add(window with { EndUnixMs = FaultWindow.Now() });
            };
        },
        InjectAsync,
        cancellationToken);

    private async Task InjectAsync(string kind, CancellationToken cancellationToken)
    {
        var faults = proxy.Faults;
        switch (kind)
        {
            case Resets:
                faults.ResetRate = 0.03;
                break;
            case Errors500:
                faults.FailureStatusCode = 500;
                faults.FailureRate = 0.05;
                break;
            case Errors503:
                faults.FailureStatusCode = 503;
                faults.FailureRate = 0.05;
                break;
            case Latency:
                faults.Latency = TimeSpan.FromSeconds(2);
                break;
            case EntryFailures:
                faults.EntryFailureRate = 0.05;
                break;
        }

        var end = DateTime.UtcNow + phase;
        while (DateTime.UtcNow < end)
        {
            if (kind == Throttling && faults.Pending < 10)
            {
                // A few refusals every half second on each path, as a shard over its limit answers.
                faults.FailNext(5, 400, "PutRecords", "ProvisionedThroughputExceededException");
                faults.FailNext(3, 400, "GetRecords", "ProvisionedThroughputExceededException");
            }

            await Task.Delay(500, cancellationToken);
        }
    }
}
