namespace Kinesis.Clients.Testing;

/// <summary>
/// The faults a <see cref="DynamoDbFaultProxy"/> injects, changeable at any time from any thread. For each request
/// the rules are consulted in the order they were added: every matching <see cref="DynamoDbFaultKind.Latency"/>
/// rule adds its delay, and the first other rule that hits decides the request's fault.
/// </summary>
public sealed class DynamoDbFaults
{
    private readonly Lock _gate = new();
    private readonly List<DynamoDbInjection> _rules = [];
    private readonly TimeProvider _time;
    private readonly int _seed;
    private Random _random;
    private volatile int _count;

    internal DynamoDbFaults(TimeProvider time, int seed)
    {
        _time = time;
        _seed = seed;
        _random = new Random(seed);
    }

    /// <summary>The rules in force (added, not removed; spent ones included until <see cref="Clear"/>).</summary>
    public IReadOnlyList<DynamoDbInjection> Rules
    {
        get
        {
            lock (_gate)
            {
                return [.. _rules];
            }
        }
    }

    /// <summary>Puts a rule in force from now on.</summary>
    /// <param name="rule">The rule.</param>
    /// <returns>Its handle: counts of what it did, and <see cref="DynamoDbInjection.Remove"/>.</returns>
    /// <exception cref="ArgumentException">The rule is invalid (the message names the property).</exception>
    public DynamoDbInjection Add(DynamoDbFaultRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        var injection = new DynamoDbInjection(this, rule, _time.GetTimestamp());
        lock (_gate)
        {
            _rules.Add(injection);
            _count = _rules.Count;
        }

        return injection;
    }

    /// <summary>Shorthand for <see cref="Add"/>: <paramref name="kind"/> on the next <paramref name="count"/> requests of <paramref name="operation"/>.</summary>
    /// <param name="kind">The fault.</param>
    /// <param name="operation">The operation, or <see langword="null"/> for any.</param>
    /// <param name="count">How many requests.</param>
    /// <returns>Its handle.</returns>
    public DynamoDbInjection Next(DynamoDbFaultKind kind, string? operation, int count = 1) =>
        Add(new DynamoDbFaultRule(kind) { Operation = operation, Count = count });

    /// <summary>Removes every rule and restarts the random source from its seed.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _count = 0;
            _random = new Random(_seed);
        }
    }

    internal void Remove(DynamoDbInjection injection)
    {
        lock (_gate)
        {
            _rules.Remove(injection);
            _count = _rules.Count;
        }
    }

    internal bool IsSpent(DynamoDbInjection injection)
    {
        lock (_gate)
        {
            if (!_rules.Contains(injection))
            {
                return true;
            }
        }

        return injection.CountUsedUp || OutOfWindow(injection, _time.GetTimestamp());
    }

    /// <summary>What to do to one request of <paramref name="operation"/>.</summary>
    internal DynamoDbFaultDecision Decide(string operation)
    {
        if (_count == 0)
        {
            return default;
        }

        var now = _time.GetTimestamp();
        var latency = TimeSpan.Zero;
        DynamoDbFaultKind? fault = null;
        lock (_gate)
        {
            foreach (var injection in _rules)
            {
                var rule = injection.Rule;
                if ((rule.Operation is { } only && only != operation) || injection.CountUsedUp || OutOfWindow(injection, now))
                {
                    continue;
                }

                var isLatency = rule.Kind == DynamoDbFaultKind.Latency;
                if (!isLatency && fault is not null)
                {
                    // The request's fault is decided; later rules neither see nor count it.
                    continue;
                }

                if (injection.Match() || (rule.Probability < 1 && _random.NextDouble() >= rule.Probability) || !injection.TryHit())
                {
                    continue;
                }

                if (isLatency)
                {
                    latency += rule.Delay;
                }
                else
                {
                    fault = rule.Kind;
                }
            }
        }

        return new DynamoDbFaultDecision(latency, fault);
    }

    private bool OutOfWindow(DynamoDbInjection injection, long now) =>
        injection.Rule.Duration is { } duration && _time.GetElapsedTime(injection.AddedAt, now) >= duration;
}
