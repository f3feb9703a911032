namespace Kinesis.Clients.Testing;

/// <summary>
/// One fault to inject into the requests of a <see cref="DynamoDbFaultProxy"/>: which requests (operation), how
/// often (count, probability) and for how long (a time window on the proxy's clock). Add it with
/// <see cref="DynamoDbFaults.Add"/>.
/// </summary>
/// <param name="Kind">What to do to a matching request.</param>
public sealed record DynamoDbFaultRule(DynamoDbFaultKind Kind)
{
    /// <summary>
    /// The operation named by <c>X-Amz-Target</c> after the dot (<c>UpdateItem</c>, <c>PutItem</c>, <c>Scan</c>,
    /// <c>GetItem</c>, <c>DeleteItem</c>, ...). <value>Default: <see langword="null"/>, every operation.</value>
    /// </summary>
    public string? Operation { get; init; }

    /// <summary>How many requests it hits at most, then it is used up. <value>Default: <see langword="null"/>, no limit.</value></summary>
    public int? Count { get; init; }

    /// <summary>Share of matching requests, in (0, 1], it hits (drawn from the proxy's seeded random source). <value>Default: 1.</value></summary>
    public double Probability { get; init; } = 1;

    /// <summary>Matching requests let through before it starts hitting. <value>Default: 0.</value></summary>
    public int SkipFirst { get; init; }

    /// <summary>
    /// How long after it was added it stays in force, on the proxy's clock; afterwards it hits nothing.
    /// <value>Default: <see langword="null"/>, until removed.</value>
    /// </summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>The wait a <see cref="DynamoDbFaultKind.Latency"/> rule adds. <value>Default: zero.</value></summary>
    public TimeSpan Delay { get; init; }

    internal void Validate()
    {
        if (!Enum.IsDefined(Kind))
        {
            throw new ArgumentException($"Unknown fault kind {(int)Kind}.", nameof(Kind));
        }

        if (Count is < 1)
        {
            throw new ArgumentException($"Count must be at least 1 when set; got {Count}.", nameof(Count));
        }

        if (Probability is not (> 0 and <= 1))
        {
            throw new ArgumentException($"Probability must be in (0, 1]; got {Probability}.", nameof(Probability));
        }

        if (SkipFirst < 0)
        {
            throw new ArgumentException($"SkipFirst must not be negative; got {SkipFirst}.", nameof(SkipFirst));
        }

        if (Duration is { } duration && duration <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Duration must be positive when set; got {duration}.", nameof(Duration));
        }

        if (Delay < TimeSpan.Zero || (Kind == DynamoDbFaultKind.Latency) != (Delay > TimeSpan.Zero))
        {
            throw new ArgumentException(
                $"Delay is positive for a Latency rule and zero for any other; got {Delay} for {Kind}.", nameof(Delay));
        }

        if (Operation is { Length: 0 })
        {
            throw new ArgumentException("Operation is an operation name or null for every operation; got an empty string.", nameof(Operation));
        }
    }
}
