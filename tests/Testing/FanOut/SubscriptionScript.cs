using System.Net;

namespace Kinesis.Clients.Testing;

/// <summary>
/// What one accepted subscription does, queued with <see cref="SubscribeToShardServer.Enqueue"/>: after
/// <see cref="AfterEvents"/> <c>SubscribeToShardEvent</c>s (records or heartbeats), or after <see cref="AfterTime"/>,
/// it does <see cref="Fault"/>.
/// </summary>
/// <param name="Fault">What happens.</param>
/// <param name="AfterEvents">Events sent first.</param>
/// <param name="AfterTime">Or this long after the subscription started, whichever comes first.</param>
/// <param name="ErrorCode">The exception type of <see cref="SubscriptionFault.Exception"/> and <see cref="SubscriptionFault.Refuse"/>.</param>
/// <param name="Message">Their message.</param>
/// <param name="Status">The HTTP status of <see cref="SubscriptionFault.Refuse"/>.</param>
public sealed record SubscriptionScript(
    SubscriptionFault Fault,
    int AfterEvents = int.MaxValue,
    TimeSpan? AfterTime = null,
    string? ErrorCode = null,
    string? Message = null,
    HttpStatusCode Status = HttpStatusCode.BadRequest)
{
    /// <summary>A subscription that runs normally (its full lifetime).</summary>
    public static SubscriptionScript Normal { get; } = new(SubscriptionFault.None);

    /// <summary>Ends cleanly after <paramref name="events"/> events.</summary>
    public static SubscriptionScript EndAfterEvents(int events) => new(SubscriptionFault.End, events);

    /// <summary>Ends cleanly after <paramref name="time"/>.</summary>
    public static SubscriptionScript EndAfter(TimeSpan time) => new(SubscriptionFault.End, AfterTime: time);

    /// <summary>Sends the exception event <paramref name="exceptionType"/> after <paramref name="events"/> events, then ends.</summary>
    public static SubscriptionScript ExceptionAfterEvents(int events, string exceptionType, string message = "Injected by the test server.") =>
        new(SubscriptionFault.Exception, events, ErrorCode: exceptionType, Message: message);

    /// <summary>Goes silent after <paramref name="events"/> events, holding the stream open.</summary>
    public static SubscriptionScript SilentAfterEvents(int events) => new(SubscriptionFault.Silence, events);

    /// <summary>Sends a frame with a bad CRC after <paramref name="events"/> events.</summary>
    public static SubscriptionScript CorruptAfterEvents(int events) => new(SubscriptionFault.CorruptFrame, events);

    /// <summary>Resets the HTTP/2 stream after <paramref name="events"/> events.</summary>
    public static SubscriptionScript ResetAfterEvents(int events) => new(SubscriptionFault.Reset, events);

    /// <summary>Refuses the subscription with <paramref name="errorCode"/> and <paramref name="status"/>.</summary>
    public static SubscriptionScript Refuse(string errorCode, HttpStatusCode status = HttpStatusCode.BadRequest, string message = "Injected by the test server.") =>
        new(SubscriptionFault.Refuse, 0, ErrorCode: errorCode, Message: message, Status: status);
}
