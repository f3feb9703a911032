namespace Kinesis.Clients.Testing;

/// <summary>Where the <see cref="LocalEdge"/> sends a request.</summary>
public enum EdgeService
{
    /// <summary>No service recognised: answered by the edge with an error.</summary>
    Unknown,

    /// <summary>Kinesis (JSON 1.1 or CBOR 1.1): kinesis-mock.</summary>
    Kinesis,

    /// <summary>Kinesis SubscribeToShard (HTTP/2 event stream): the kit's <see cref="SubscribeToShardServer"/>.</summary>
    SubscribeToShard,

    /// <summary>DynamoDB (JSON 1.0): dynalite.</summary>
    DynamoDb,

    /// <summary>CloudWatch (query protocol): the kit's <see cref="LoopbackCloudWatch"/>.</summary>
    CloudWatch,

    /// <summary>LocalStack's health path, <c>GET /_localstack/health</c>: answered by the edge.</summary>
    Health,
}

/// <summary>
/// Picks the service for a request as LocalStack's gateway does: by the <c>X-Amz-Target</c> prefix for the JSON and
/// CBOR protocols, else by the signing name in the SigV4 credential scope (the query protocol has no target).
/// </summary>
public static class EdgeRoute
{
    /// <summary>LocalStack's health check path.</summary>
    public const string HealthPath = "/_localstack/health";

    private const string KinesisPrefix = "Kinesis_20131202.";
    private const string DynamoDbPrefix = "DynamoDB_20120810.";

    /// <summary>The service for a request with these parts.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The request path.</param>
    /// <param name="target">The <c>X-Amz-Target</c> header, if any.</param>
    /// <param name="authorization">The <c>Authorization</c> header, if any.</param>
    public static EdgeService For(string method, string path, string? target, string? authorization)
    {
        if (string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase) && string.Equals(path, HealthPath, StringComparison.Ordinal))
        {
            return EdgeService.Health;
        }

        if (!string.IsNullOrEmpty(target))
        {
            if (target.StartsWith(KinesisPrefix, StringComparison.Ordinal))
            {
                return target.AsSpan(KinesisPrefix.Length).SequenceEqual("SubscribeToShard") ? EdgeService.SubscribeToShard : EdgeService.Kinesis;
            }

            return target.StartsWith(DynamoDbPrefix, StringComparison.Ordinal) ? EdgeService.DynamoDb : EdgeService.Unknown;
        }

        return SigV4Scope.TryParse(authorization ?? string.Empty)?.Service switch
        {
            "monitoring" => EdgeService.CloudWatch,
            _ => EdgeService.Unknown,
        };
    }
}
