namespace Kinesis.Clients;

/// <summary>The reply to UpdateShardCount.</summary>
/// <param name="StreamName">The stream.</param>
/// <param name="CurrentShardCount">Open shards before the update.</param>
/// <param name="TargetShardCount">Open shards once the update completes.</param>
public sealed record UpdateShardCountResponse(string StreamName, int CurrentShardCount, int TargetShardCount);
