namespace Kinesis.Clients.Testing;

/// <summary>
/// Faults a <see cref="KinesisLimitsProxy"/> injects, changeable at any time from any thread. One-shot
/// faults (<see cref="FailNext"/>, <see cref="ResetNext"/>) are used up in the order they were queued, before
/// the rates are consulted; injected faults answer before the limits are applied, so they cost no capacity.
/// </summary>
public sealed class LimitsProxyFaults
{
    private readonly Lock _gate = new();
    private readonly List<PendingFault> _pending = [];
    private readonly int _seed;
    private Random _random;
    private long _latencyTicks;
    private double _failureRate;
    private double _resetRate;
    private double _entryFailureRate;
    private int _failureStatusCode = 500;
    private volatile string? _rateOperation;
    private volatile string[] _throttledShards = [];
    private volatile int _pendingCount;

    internal LimitsProxyFaults(int seed)
    {
        _seed = seed;
        _random = new Random(seed);
    }

    /// <summary>
    /// Time added before each request is handled, on the proxy's clock (<see cref="LimitsProxyOptions.TimeProvider"/>).
    /// <value>Default: zero.</value>
    /// </summary>
    public TimeSpan Latency
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _latencyTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref _latencyTicks, value.Ticks);
        }
    }

    /// <summary>Share of requests, in [0, 1], answered with <see cref="FailureStatusCode"/>. <value>Default: 0.</value></summary>
    public double FailureRate
    {
        get => Volatile.Read(ref _failureRate);
        set => Volatile.Write(ref _failureRate, Rate(value));
    }

    /// <summary>The status of failures drawn by <see cref="FailureRate"/>: 500 or 503. <value>Default: 500.</value></summary>
    public int FailureStatusCode
    {
        get => Volatile.Read(ref _failureStatusCode);
        set => Volatile.Write(ref _failureStatusCode, Status(value));
    }

    /// <summary>Share of requests, in [0, 1], whose connection is aborted without a reply. <value>Default: 0.</value></summary>
    public double ResetRate
    {
        get => Volatile.Read(ref _resetRate);
        set => Volatile.Write(ref _resetRate, Rate(value));
    }

    /// <summary>
    /// Share of PutRecords entries, in [0, 1], failed with <c>InternalFailure</c> inside a 200 reply (which the
    /// service also does); such entries are not forwarded. <value>Default: 0.</value>
    /// </summary>
    public double EntryFailureRate
    {
        get => Volatile.Read(ref _entryFailureRate);
        set => Volatile.Write(ref _entryFailureRate, Rate(value));
    }

    /// <summary>
    /// Restricts <see cref="FailureRate"/> and <see cref="ResetRate"/> to one operation (e.g. <c>GetRecords</c>).
    /// <value>Default: <see langword="null"/>, every operation.</value>
    /// </summary>
    public string? RateOperation
    {
        get => _rateOperation;
        set => _rateOperation = value;
    }

    /// <summary>
    /// Shards whose every PutRecords entry is refused with <c>ProvisionedThroughputExceededException</c> whatever their
    /// buckets hold, as a shard far over its limit is; counted as throttled writes. <value>Default: none.</value>
    /// </summary>
    public IReadOnlyList<string> ThrottledShards
    {
        get => _throttledShards;
        set => _throttledShards = [.. value ?? throw new ArgumentNullException(nameof(value))];
    }

    /// <summary>One-shot faults still queued.</summary>
    public int Pending => _pendingCount;

    /// <summary>
    /// Answers the next <paramref name="count"/> requests (of <paramref name="operation"/>, or any) with an
    /// AWS-style error instead of handling them.
    /// </summary>
    /// <param name="count">How many requests.</param>
    /// <param name="statusCode">The HTTP status, 400-599.</param>
    /// <param name="operation">Only requests for this operation, or any when <see langword="null"/>.</param>
    /// <param name="errorCode">
    /// The <c>__type</c>; by default <c>ServiceUnavailable</c> for 503, <c>ThrottlingException</c> for 429,
    /// <c>InternalFailure</c> for other 5xx and <c>InvalidArgumentException</c> for other 4xx.
    /// </param>
    public void FailNext(int count, int statusCode = 500, string? operation = null, string? errorCode = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Enqueue(new PendingFault(FaultKind.Fail, count, Status(statusCode), errorCode ?? InjectedFault.CodeFor(statusCode), operation));
    }

    /// <summary>Aborts the connection of the next <paramref name="count"/> requests without answering.</summary>
    /// <param name="count">How many requests.</param>
    /// <param name="operation">Only requests for this operation, or any when <see langword="null"/>.</param>
    public void ResetNext(int count, string? operation = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Enqueue(new PendingFault(FaultKind.Reset, count, 0, string.Empty, operation));
    }

    /// <summary>Removes every fault, zeroes latency and rates, and restarts the random source from its seed.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _pending.Clear();
            _pendingCount = 0;
            _random = new Random(_seed);
        }

        Latency = TimeSpan.Zero;
        FailureRate = 0;
        ResetRate = 0;
        EntryFailureRate = 0;
        FailureStatusCode = 500;
        RateOperation = null;
        ThrottledShards = [];
    }

    /// <summary>The fault to inject into a request for <paramref name="operation"/>, if any.</summary>
    internal InjectedFault Decide(string operation)
    {
        var resetRate = ResetRate;
        var failureRate = FailureRate;
        if (_pendingCount == 0 && resetRate == 0 && failureRate == 0)
        {
            return default;
        }

        lock (_gate)
        {
            for (var i = 0; i < _pending.Count; i++)
            {
                var pending = _pending[i];
                if (pending.Operation is not null && pending.Operation != operation)
                {
                    continue;
                }

                if (pending.Remaining == 1)
                {
                    _pending.RemoveAt(i);
                }
                else
                {
                    _pending[i] = pending with { Remaining = pending.Remaining - 1 };
                }

                _pendingCount--;
                return new InjectedFault(pending.Kind, pending.StatusCode, pending.ErrorCode);
            }

            if (RateOperation is { } only && only != operation)
            {
                return default;
            }

            var draw = _random.NextDouble();
            if (draw < resetRate)
            {
                return new InjectedFault(FaultKind.Reset, 0, string.Empty);
            }

            var status = FailureStatusCode;
            return draw < resetRate + failureRate
                ? new InjectedFault(FaultKind.Fail, status, InjectedFault.CodeFor(status))
                : default;
        }
    }

    /// <summary>Whether <see cref="ThrottledShards"/> names <paramref name="shardId"/>.</summary>
    internal bool IsThrottled(string shardId) => _throttledShards.Length > 0 && Array.IndexOf(_throttledShards, shardId) >= 0;

    /// <summary>Whether to fail one PutRecords entry with InternalFailure.</summary>
    internal bool FailEntry()
    {
        var rate = EntryFailureRate;
        if (rate == 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _random.NextDouble() < rate;
        }
    }

    private void Enqueue(PendingFault fault)
    {
        lock (_gate)
        {
            _pending.Add(fault);
            _pendingCount += fault.Remaining;
        }
    }

    private static double Rate(double value) =>
        value is >= 0 and <= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "A rate is between 0 and 1.");

    private static int Status(int value) =>
        value is >= 400 and <= 599 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "An error status is 400-599.");

    private readonly record struct PendingFault(FaultKind Kind, int Remaining, int StatusCode, string ErrorCode, string? Operation);
}
