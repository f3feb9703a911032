namespace Kinesis.Clients.Testing;

/// <summary>A failure <see cref="LoopbackCloudWatch"/> can be told to answer with instead of accepting a call.</summary>
public enum CloudWatchFault
{
    /// <summary>HTTP 500 with the service's <c>InternalFailure</c> error document (<c>Type</c> Receiver).</summary>
    InternalFailure,

    /// <summary>HTTP 400 with the service's <c>Throttling</c> error document ("Rate exceeded").</summary>
    Throttling,

    /// <summary>No answer at all: the request is held until the client gives up or the server stops.</summary>
    Hang,

    /// <summary>The connection is reset without an answer.</summary>
    Reset,
}
