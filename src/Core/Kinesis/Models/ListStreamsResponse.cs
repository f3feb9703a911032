namespace Kinesis.Clients;

/// <summary>One page of ListStreams.</summary>
/// <param name="StreamNames">The stream names on this page.</param>
/// <param name="HasMoreStreams">Whether more pages follow.</param>
/// <param name="NextToken">The token for the next page, when the service sends one.</param>
public sealed record ListStreamsResponse(IReadOnlyList<string> StreamNames, bool HasMoreStreams, string? NextToken);
