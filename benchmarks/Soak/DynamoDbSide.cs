using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Soak;

/// <summary>
/// What the workers use as their DynamoDB endpoint, and the faults injected there: the testing kit's
/// <see cref="DynamoDbFaultProxy"/> in front of dynalite, its faults scheduled by <see cref="DynamoDbFaultSchedule"/>.
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

    /// <summary>DynamoDB faults injected so far, by kind.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts();

    /// <summary>
    /// Starts the testing kit's DynamoDB fault proxy in front of <paramref name="dynalite"/>; the workers' lease tables
    /// are reached through it, and <see cref="RunScheduleAsync"/> injects its faults one kind at a time.
    /// </summary>
    /// <param name="dynalite">dynalite's endpoint.</param>
    /// <param name="phase">How long each fault lasts (as the Kinesis faults).</param>
    /// <param name="calm">The quiet time between two faults.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    public static async Task<DynamoDbSide> StartAsync(Uri dynalite, TimeSpan phase, TimeSpan calm, CancellationToken cancellationToken)
    {
        var proxy = await DynamoDbFaultProxy.StartAsync(dynalite, cancellationToken: cancellationToken);
        var schedule = new DynamoDbFaultSchedule(proxy, phase, calm);
        return new DynamoDbSide(proxy.Endpoint, proxy, schedule.RunAsync, () => schedule.Counts, "through the DynamoDB fault proxy");
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
