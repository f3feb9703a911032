namespace Kinesis.Clients.Testing;

/// <summary>A snapshot of what a <see cref="DynamoDbFaultProxy"/> saw and did, per operation.</summary>
/// <param name="Requests">Requests received, by operation.</param>
/// <param name="Forwarded">Requests sent on to the backend (including those whose reply was then dropped), by operation.</param>
/// <param name="Injected">Faults injected, by operation and kind (a latency counts as one).</param>
public sealed record DynamoDbFaultStats(
    IReadOnlyDictionary<string, long> Requests,
    IReadOnlyDictionary<string, long> Forwarded,
    IReadOnlyDictionary<(string Operation, DynamoDbFaultKind Kind), long> Injected)
{
    /// <summary>Requests of <paramref name="operation"/> received.</summary>
    /// <param name="operation">The operation, e.g. <c>UpdateItem</c>.</param>
    /// <returns>The count; zero if none.</returns>
    public long RequestsOf(string operation) => Requests.GetValueOrDefault(operation);

    /// <summary>Requests of <paramref name="operation"/> forwarded to the backend.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The count; zero if none.</returns>
    public long ForwardedOf(string operation) => Forwarded.GetValueOrDefault(operation);

    /// <summary>Faults of <paramref name="kind"/> injected, into <paramref name="operation"/> or into any.</summary>
    /// <param name="kind">The fault.</param>
    /// <param name="operation">The operation, or <see langword="null"/> for all.</param>
    /// <returns>The count.</returns>
    public long InjectedOf(DynamoDbFaultKind kind, string? operation = null) =>
        Injected.Where(p => p.Key.Kind == kind && (operation is null || p.Key.Operation == operation)).Sum(p => p.Value);
}
