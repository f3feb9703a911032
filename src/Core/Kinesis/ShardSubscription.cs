using Kinesis.Clients.EventStream;
using Kinesis.Clients.Http;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

/// <summary>
/// One open SubscribeToShard response, from <see cref="KinesisClient.SubscribeToShardAsync"/>: reads its event
/// stream and turns each message into a <see cref="SubscribeToShardEvent"/>, or into the
/// <see cref="AwsServiceException"/> an exception event stands for. The service ends a subscription after 5 minutes;
/// a new one resumes after the last event's <see cref="SubscribeToShardEvent.ContinuationSequenceNumber"/>.
/// </summary>
/// <remarks>
/// Nothing is read from the network between calls to <see cref="ReadNextAsync"/>, so a slow reader holds the service
/// back through HTTP/2 flow control. Not thread-safe: one reader at a time. Disposing it resets the HTTP/2 stream.
/// </remarks>
public sealed class ShardSubscription : IAsyncDisposable
{
    internal const string Operation = "SubscribeToShard";

    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly EventStreamReader _reader;
    private readonly WireProtocol _protocol;
    private readonly string _context;
    private bool _disposed;

    internal ShardSubscription(HttpResponseMessage response, Stream body, WireProtocol protocol, string? requestId, string context)
    {
        _response = response;
        _body = body;
        _reader = new EventStreamReader(body);
        _protocol = protocol;
        RequestId = requestId;
        _context = context;
    }

    /// <summary>The service's request id for this subscription, when it sent one.</summary>
    public string? RequestId { get; }

    /// <summary>The <c>SubscribeToShardEvent</c>s read so far.</summary>
    public int EventsRead { get; private set; }

    /// <summary>
    /// The next <c>SubscribeToShardEvent</c>, or <see langword="null"/> when the service ended the subscription (it
    /// does after 5 minutes). The <c>initial-response</c> and event types this version does not know are skipped.
    /// </summary>
    /// <exception cref="AwsServiceException">
    /// An exception event arrived (mapped by its <c>:exception-type</c>, e.g. <see cref="ResourceInUseException"/>); the
    /// stream broke (a reset, a corrupt frame: retryable, without a status code); or an event's payload could not be
    /// read (not retryable).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the subscription
    /// cannot be read any further (the HTTP/2 stream is reset), so dispose it and subscribe again.</exception>
    public async ValueTask<SubscribeToShardEvent?> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            EventStreamMessage? message;
            try
            {
                message = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (EventStreamFormatException ex)
            {
                throw TransportFailures.Failed(KinesisClient.ServiceName, Operation, $"stream is corrupt after {EventsRead} events: {ex.Message}", _context, ex);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw TransportFailures.Failed(KinesisClient.ServiceName, Operation, $"stream broke off after {EventsRead} events: {ex.Message}", _context, ex);
            }

            if (message is null)
            {
                return null;
            }

            var messageType = message.GetString(":message-type") ?? "event";
            switch (messageType)
            {
                case "event":
                    var eventType = message.GetString(":event-type");
                    if (string.Equals(eventType, "SubscribeToShardEvent", StringComparison.Ordinal))
                    {
                        var shardEvent = ReadEvent(message);
                        EventsRead++;
                        return shardEvent;
                    }

                    // "initial-response" (an empty object) opens every stream; unknown event types are future additions.
                    continue;
                case "exception":
                    var exceptionType = message.GetString(":exception-type") ?? "UnknownException";
                    throw FromEvent(AwsErrorCodes.Normalize(exceptionType), ExceptionMessage(message));
                case "error":
                    throw FromEvent(message.GetString(":error-code") ?? "UnknownError", message.GetString(":error-message"));
                default:
                    continue;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _reader.DisposeAsync().ConfigureAwait(false);
        await _body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
    }

    private AwsServiceException FromEvent(string code, string? text)
    {
        var details = AwsErrorDetails.Classify(KinesisClient.ServiceName, Operation, code, _response.StatusCode, RequestId);
        return AwsErrorParser.Create(
            details, AwsErrorMessage.ForEvent(KinesisClient.ServiceName, Operation, "stream sent", code, text, Where(), RequestId));
    }

    private SubscribeToShardEvent ReadEvent(EventStreamMessage message)
    {
        try
        {
            var payload = IsCbor(message) ? CborWireReader.Read(message.Payload) : JsonWireReader.Read(message.Payload.Span);

            // Records and ChildShards have the shape GetRecords returns them in.
            var body = KinesisReplies.GetRecords(payload);
            return new SubscribeToShardEvent(
                body.Records,
                payload["ContinuationSequenceNumber"].AsString(),
                payload["MillisBehindLatest"].AsInt64() ?? 0,
                body.ChildShards);
        }
        catch (Exception ex) when (ex is WireFormatException or FormatException or OverflowException or InvalidCastException)
        {
            // The frame's checksums held, so the bytes are what the server sent; sending them again would not help.
            var details = new AwsErrorDetails(
                KinesisClient.ServiceName, Operation, null, _response.StatusCode, RequestId, IsRetryable: false, IsThrottling: false);
            throw new AwsServiceException(
                details, $"{KinesisClient.ServiceName} {Operation} sent an event that could not be read: {ex.Message} ({Where()})", ex);
        }
    }

    private string? ExceptionMessage(EventStreamMessage message)
    {
        if (message.Payload.IsEmpty)
        {
            return null;
        }

        try
        {
            var payload = IsCbor(message) ? CborWireReader.Read(message.Payload) : JsonWireReader.Read(message.Payload.Span);
            return payload.Kind == WireKind.Map
                ? payload["message"].AsString() ?? payload["Message"].AsString()
                : null;
        }
        catch (Exception ex) when (ex is WireFormatException or FormatException)
        {
            return null;
        }
    }

    private bool IsCbor(EventStreamMessage message) =>
        message.GetString(":content-type") is { } contentType
            ? contentType.Contains("cbor", StringComparison.OrdinalIgnoreCase)
            : _protocol == WireProtocol.Cbor;

    private string Where() => $"{_context}, after {EventsRead} events";
}
