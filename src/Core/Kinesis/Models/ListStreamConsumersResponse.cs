namespace Kinesis.Clients;

/// <summary>One page of ListStreamConsumers.</summary>
/// <param name="Consumers">The consumers on this page.</param>
/// <param name="NextToken">The token for the next page, or <see langword="null"/> on the last.</param>
public sealed record ListStreamConsumersResponse(IReadOnlyList<StreamConsumer> Consumers, string? NextToken);
