namespace Kinesis.Clients.Testing;

/// <summary>Settings of a <see cref="DynamoDbFaultProxy"/>, read once when it starts.</summary>
public sealed class DynamoDbFaultProxyOptions
{
    /// <summary>
    /// The clock that times latency rules and rule windows (<see cref="DynamoDbFaultRule.Duration"/>).
    /// <value>Default: <see cref="TimeProvider.System"/>.</value>
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Seed of the random source behind <see cref="DynamoDbFaultRule.Probability"/>, so a run can be repeated. <value>Default: 1.</value></summary>
    public int FaultSeed { get; set; } = 1;

    internal void Validate() => ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
}
