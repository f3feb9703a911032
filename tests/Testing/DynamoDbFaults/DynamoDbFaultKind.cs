namespace Kinesis.Clients.Testing;

/// <summary>What a <see cref="DynamoDbFaultProxy"/> does to a request a <see cref="DynamoDbFaultRule"/> matches.</summary>
public enum DynamoDbFaultKind
{
    /// <summary>
    /// HTTP 400 <c>com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException</c>, as a table out of
    /// provisioned capacity answers; not forwarded.
    /// </summary>
    ProvisionedThroughputExceeded,

    /// <summary>HTTP 400 <c>com.amazon.coral.availability#ThrottlingException</c> (control-plane and on-demand throttling); not forwarded.</summary>
    Throttling,

    /// <summary>HTTP 500 <c>com.amazonaws.dynamodb.v20120810#InternalServerError</c>; not forwarded.</summary>
    InternalServerError,

    /// <summary>The connection is cut after the reply's status line, before its body; not forwarded.</summary>
    Reset,

    /// <summary>The request waits <see cref="DynamoDbFaultRule.Delay"/> on the proxy's clock, then goes on (other rules still apply).</summary>
    Latency,

    /// <summary>Forwarded and applied by the backend, then answered with HTTP 500 InternalServerError: the write happened, the caller cannot know.</summary>
    InternalServerErrorAfterWrite,

    /// <summary>Forwarded and applied by the backend, then the connection is cut after the reply's status line, before its body.</summary>
    ResetAfterWrite,
}
