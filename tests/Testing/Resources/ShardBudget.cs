using System.Globalization;

namespace Kinesis.Clients.Testing;

/// <summary>
/// The open shards this test process may hold on the test endpoint at once. xunit runs every test class at the same
/// time, so without a budget the suite's streams together would pass LocalStack's default shard limit (100) on some
/// runs and not others; with it, a test that would pass the limit waits until earlier tests have deleted their streams.
/// </summary>
/// <remarks>
/// _waiters are served first come, first served, so a test needing many shards is not starved by small ones. The
/// budget counts this process only: one endpoint shared by two test processes at once needs a smaller budget each
/// (<see cref="LimitVariable"/>).
/// </remarks>
public sealed class ShardBudget
{
    /// <summary>LocalStack's default <c>KINESIS_SHARD_LIMIT</c>, which the kit's kinesis-mock also runs with.</summary>
    public const int LocalStackShardLimit = 100;

    /// <summary>Set to a number of shards to budget fewer (or more) than <see cref="LocalStackShardLimit"/>.</summary>
    public const string LimitVariable = "KINESIS_CLIENTS_SHARD_BUDGET";

    private static readonly Lazy<ShardBudget> SharedBudget = new(() => new ShardBudget(ReadLimit(), TimeSpan.FromMinutes(5)));

    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly Dictionary<string, int> _holders = new(StringComparer.Ordinal);
    private int _held;

    /// <summary>A budget of <paramref name="limit"/> shards; a wait longer than <paramref name="maxWait"/> fails.</summary>
    public ShardBudget(int limit, TimeSpan maxWait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        Limit = limit;
        MaxWait = maxWait;
    }

    /// <summary>
    /// The budget every <see cref="TestStream"/> of this process books from: <see cref="LocalStackShardLimit"/> shards,
    /// or <see cref="LimitVariable"/>; a test waits up to 5 minutes for its shards.
    /// </summary>
    /// <exception cref="InvalidOperationException"><see cref="LimitVariable"/> is set but not a positive number.</exception>
    public static ShardBudget Shared => SharedBudget.Value;

    /// <summary>The number of open shards that may be held at once.</summary>
    public int Limit { get; }

    /// <summary>How long a test waits for shards before it fails, naming the streams that hold them.</summary>
    public TimeSpan MaxWait { get; }

    /// <summary>Shards held right now, by the stream holding them.</summary>
    public IReadOnlyDictionary<string, int> Held
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_holders, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Requests waiting for shards right now.</summary>
    internal int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Waits until <paramref name="shards"/> fit in the budget and books them for <paramref name="holder"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">More shards than the whole budget, or fewer than one.</exception>
    /// <exception cref="TimeoutException">The shards did not free up within <see cref="MaxWait"/>.</exception>
    public async Task AcquireAsync(string holder, int shards, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        var limit = Limit;
        if (shards < 1 || shards > limit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(shards),
                shards,
                $"Stream {holder} asks for {shards} open shards; a test may hold 1 to {limit} (the shard budget, {LimitVariable}).");
        }

        Waiter waiter;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _held + shards <= limit)
            {
                Book(holder, shards);
                return;
            }

            waiter = new Waiter(holder, shards);
            waiter.Node = _waiters.AddLast(waiter);
        }

        try
        {
            await waiter.Granted.Task.WaitAsync(MaxWait, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            lock (_gate)
            {
                if (waiter.Granted.Task.IsCompletedSuccessfully)
                {
                    // Granted just as the wait ended: hand the shards straight back.
                    Unbook(holder, shards);
                }
                else
                {
                    _waiters.Remove(waiter.Node!);
                }

                Serve_waiters();
            }

            if (e is TimeoutException)
            {
                throw new TimeoutException(
                    $"Stream {holder} waited {MaxWait.TotalSeconds:0} s for {shards} of the {limit}-shard budget; held now: " +
                    $"{Describe()}. A test that never disposes its TestStream keeps its shards booked.",
                    e);
            }

            throw;
        }
    }

    /// <summary>Gives back what <paramref name="holder"/> booked.</summary>
    public void Release(string holder)
    {
        lock (_gate)
        {
            if (_holders.TryGetValue(holder, out var shards))
            {
                Unbook(holder, shards);
                Serve_waiters();
            }
        }
    }

    private void Book(string holder, int shards)
    {
        _held += shards;
        _holders[holder] = _holders.GetValueOrDefault(holder) + shards;
    }

    private void Unbook(string holder, int shards)
    {
        _held -= shards;
        if (_holders.TryGetValue(holder, out var had) && had > shards)
        {
            _holders[holder] = had - shards;
        }
        else
        {
            _holders.Remove(holder);
        }
    }

    private void Serve_waiters()
    {
        while (_waiters.First is { } first && _held + first.Value.Shards <= Limit)
        {
            _waiters.RemoveFirst();
            Book(first.Value.Holder, first.Value.Shards);
            first.Value.Granted.TrySetResult();
        }
    }

    private string Describe()
    {
        lock (_gate)
        {
            return _holders.Count == 0 ? "(none)" : string.Join(", ", _holders.Select(h => $"{h.Key} {h.Value}"));
        }
    }

    private static int ReadLimit()
    {
        var configured = Environment.GetEnvironmentVariable(LimitVariable);
        if (string.IsNullOrEmpty(configured))
        {
            return LocalStackShardLimit;
        }

        if (!int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1)
        {
            throw new InvalidOperationException($"{LimitVariable}='{configured}' is not a positive number of shards.");
        }

        return limit;
    }

    private sealed class Waiter(string holder, int shards)
    {
        public string Holder { get; } = holder;

        public int Shards { get; } = shards;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
