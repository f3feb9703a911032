namespace Kinesis.Clients.Soak;

/// <summary>
/// What the workers use as their DynamoDB endpoint, and the faults injected there. Today the workers talk to
/// dynalite directly and no DynamoDB fault is injected; <see cref="StartAsync"/> is the one place where a fault
/// proxy in front of dynalite is started and its faults scheduled.
/// </summary>
internal sealed class DynamoDbSide : IAsyncDisposable
{
    private readonly IAsyncDisposable? _proxy;
    private readonly Func<CancellationToken, Task> _schedule;
    private readonly Func<IReadOnlyDictionary<string, long>> _counts;

    private DynamoDbSide(Uri endpoint, IAsyncDisposable? proxy, Func<CancellationToken, Task> schedule, Func<IReadOnlyDictionary<string, long>> counts, string description)
    {
        Endpoint = endpoint;
        _proxy = proxy;
        _schedule = schedule;
        _counts = counts;
        Description = description;
    }

    /// <summary>The endpoint the workers' lease tables are reached through.</summary>
    public Uri Endpoint { get; }

    /// <summary>How the workers reach DynamoDB, for the report.</summary>
    public string Description { get; }

    /// <summary>DynamoDB faults injected so far, by kind (empty while no fault proxy is wired).</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts();

    /// <summary>
    /// THE PLACE TO WIRE DYNAMODB FAULTS. Starts whatever stands between the workers and <paramref name="dynalite"/>
    /// and says how its faults are scheduled. With the testing kit's DynamoDB fault proxy this becomes:
    /// <code>
    /// var proxy = await DynamoDbFaultProxy.StartAsync(dynalite);
    /// return new DynamoDbSide(proxy.Endpoint, proxy,
    ///     ct => ScheduleAsync(proxy, phase, calm, ct),          // e.g. throttling, 500s, latency on UpdateItem/Scan in turn
    ///     () => CountsFrom(proxy.Stats),                         // injected faults by kind
    ///     "through the DynamoDB fault proxy");
    /// </code>
    /// </summary>
    /// <param name="dynalite">dynalite's endpoint.</param>
    /// <param name="phase">How long each fault lasts (as the Kinesis faults).</param>
    /// <param name="calm">The quiet time between two faults.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    public static Task<DynamoDbSide> StartAsync(Uri dynalite, TimeSpan phase, TimeSpan calm, CancellationToken cancellationToken)
    {
        _ = (phase, calm, cancellationToken);
        return Task.FromResult(new DynamoDbSide(
            dynalite,
            proxy: null,
            _ => Task.CompletedTask,
            () => new Dictionary<string, long>(StringComparer.Ordinal),
            "dynalite directly (no DynamoDB faults injected)"));
    }

    /// <summary>Runs the fault schedule until cancelled.</summary>
    public Task RunScheduleAsync(CancellationToken cancellationToken) => _schedule(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }
}
