namespace Kinesis.Clients.Testing;

/// <summary>What a <see cref="SubscriptionScript"/> makes a subscription do instead of running its full lifetime.</summary>
public enum SubscriptionFault
{
    /// <summary>Run normally.</summary>
    None,

    /// <summary>Refuse the subscription with an HTTP error before any event.</summary>
    Refuse,

    /// <summary>End the stream cleanly, as the service does after 5 minutes.</summary>
    End,

    /// <summary>Send an exception event, then end the stream.</summary>
    Exception,

    /// <summary>Send nothing more, keeping the stream open, until the client gives up.</summary>
    Silence,

    /// <summary>Send a frame whose message CRC is wrong, then end the stream.</summary>
    CorruptFrame,

    /// <summary>Reset the HTTP/2 stream.</summary>
    Reset,
}
