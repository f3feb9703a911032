using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace Kinesis.Clients.Testing;

public sealed partial class SubscribeToShardServer
{
    private const string Target = "Kinesis_20131202.SubscribeToShard";

    private async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        var request = context.Request;
        var target = request.Headers["X-Amz-Target"].ToString();
        if (!HttpMethods.IsPost(request.Method) || request.Path != "/" || target != Target)
        {
            await RefuseAsync(context, HttpStatusCode.BadRequest, "UnknownOperationException",
                $"{request.Method} {request.Path} with X-Amz-Target '{target}' is not served here; only {Target}.").ConfigureAwait(false);
            return;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            await RefuseAsync(context, HttpStatusCode.BadRequest, "MissingAuthenticationTokenException", "Missing Authentication Token").ConfigureAwait(false);
            return;
        }

        if (SigV4Scope.TryParse(authorization) is not { } scope || request.Headers["X-Amz-Date"].Count == 0)
        {
            await RefuseAsync(context, HttpStatusCode.BadRequest, "IncompleteSignatureException",
                $"Authorization header requires an AWS4-HMAC-SHA256 Credential scope and X-Amz-Date; got '{authorization}'.").ConfigureAwait(false);
            return;
        }

        if (scope.Service != "kinesis")
        {
            await RefuseAsync(context, HttpStatusCode.BadRequest, "InvalidSignatureException",
                $"Credential should be scoped to correct service: 'kinesis'. Got '{scope.Service}'.").ConfigureAwait(false);
            return;
        }

        var contentType = request.ContentType ?? string.Empty;
        var cbor = contentType.Contains("cbor", StringComparison.OrdinalIgnoreCase);
        if (!cbor && !contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            await RefuseAsync(context, HttpStatusCode.BadRequest, "SerializationException",
                $"Content-Type must be application/x-amz-json-1.1 or application/x-amz-cbor-1.1; got '{contentType}'.").ConfigureAwait(false);
            return;
        }

        var body = await SignedRequestCheck.ReadBodyAsync(request).ConfigureAwait(false);
        if (SubscribeRequest.TryRead(body, cbor, out var problem) is not { } subscribe)
        {
            await RefuseAsync(context, HttpStatusCode.BadRequest, "InvalidArgumentException", problem!).ConfigureAwait(false);
            return;
        }

        SubscriptionCall call;
        lock (_gate)
        {
            call = new SubscriptionCall(_calls.Count + 1, subscribe.ConsumerArn, subscribe.ShardId, subscribe.PositionName, subscribe.SequenceNumber, subscribe.Timestamp, cbor)
            {
                Connection = ConnectionOf(context),
            };
            _calls.Add(call);
        }

        Changed();
        await SubscribeAsync(context, subscribe, call).ConfigureAwait(false);
    }

    private async Task SubscribeAsync(HttpContext context, SubscribeRequest subscribe, SubscriptionCall call)
    {
        StreamConsumer consumer;
        ShardFeed feed;
        try
        {
            consumer = await _backend.DescribeStreamConsumerAsync(subscribe.ConsumerArn, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            if (!consumer.IsActive)
            {
                await RefuseAsync(context, call, HttpStatusCode.BadRequest, "ResourceInUseException",
                    $"Consumer {subscribe.ConsumerArn} is {consumer.ConsumerStatus}, not ACTIVE.").ConfigureAwait(false);
                return;
            }

            feed = await ShardFeed.OpenAsync(_backend, StreamName(consumer, subscribe.ConsumerArn), subscribe, context.RequestAborted).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.StatusCode is { } status && (int)status < 500)
        {
            // kinesis-mock answers a malformed consumer ARN with a SerializationException; the service says not found.
            var code = ex.ErrorCode is null or "SerializationException" ? "ResourceNotFoundException" : ex.ErrorCode;
            await RefuseAsync(context, call, HttpStatusCode.BadRequest, code, ex.Message).ConfigureAwait(false);
            return;
        }
        catch (AwsServiceException ex)
        {
            await RefuseAsync(context, call, HttpStatusCode.InternalServerError, "InternalFailure", ex.Message).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up waiting for the answer.
            call.Ended("ClientGone");
            Changed();
            return;
        }

        var key = (subscribe.ConsumerArn, subscribe.ShardId);
        SubscriptionScript script;
        CancellationTokenSource? takenOver = null;
        lock (_gate)
        {
            if (_lastAccepted.TryGetValue(key, out var last) && TimeProvider.System.GetElapsedTime(last) < Options.ResubscribeGuard)
            {
                script = SubscriptionScript.Refuse("ResourceInUseException", message:
                    $"Another active subscription exists for this consumer: {subscribe.ConsumerArn}, shard {subscribe.ShardId}; subscribe again no sooner than {Options.ResubscribeGuard.TotalSeconds:0.###} s after the last.");
            }
            else
            {
                script = _scripts.TryDequeue(out var queued) ? queued : SubscriptionScript.Normal;
            }

            if (script.Fault != SubscriptionFault.Refuse)
            {
                call.Accept();
                _lastAccepted[key] = TimeProvider.System.GetTimestamp();
                if (_active.Remove(key, out var previous))
                {
                    previous.Cancel();
                }

                takenOver = new CancellationTokenSource();
                _active[key] = takenOver;
            }
        }

        if (takenOver is null)
        {
            await RefuseAsync(context, call, script.Status, script.ErrorCode ?? "InternalFailure", script.Message ?? "Refused.").ConfigureAwait(false);
            return;
        }

        try
        {
            var stream = new SubscriptionStream(context, call, feed, script, Options, Changed, takenOver.Token, _stopping.Token);
            await stream.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                if (_active.TryGetValue(key, out var current) && current == takenOver)
                {
                    _active.Remove(key);
                }
            }

            takenOver.Dispose();
            Changed();
        }
    }

    private static SubscriptionConnection ConnectionOf(HttpContext context)
    {
        var tls = context.Features.Get<ITlsHandshakeFeature>();
        var alpn = context.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol;
        return new SubscriptionConnection(
            context.Request.Protocol,
            tls?.Protocol ?? System.Security.Authentication.SslProtocols.None,
            alpn is { IsEmpty: false } protocol ? System.Text.Encoding.ASCII.GetString(protocol.Span) : null);
    }

    private static string StreamName(StreamConsumer consumer, string consumerArn)
    {
        // arn:aws:kinesis:us-east-1:000000000000:stream/NAME[/consumer/CONSUMER:EPOCH]
        var arn = consumer.StreamArn ?? consumerArn;
        var start = arn.IndexOf(":stream/", StringComparison.Ordinal) + ":stream/".Length;
        var end = arn.IndexOf('/', start);
        return end < 0 ? arn[start..] : arn[start..end];
    }

    private async Task RefuseAsync(HttpContext context, SubscriptionCall call, HttpStatusCode status, string code, string message)
    {
        call.Refused(code, message);
        Changed();
        await RefuseAsync(context, status, code, message).ConfigureAwait(false);
    }

    private static async Task RefuseAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        var response = context.Response;
        response.StatusCode = (int)status;
        response.ContentType = "application/x-amz-json-1.1";
        response.Headers["x-amzn-ErrorType"] = code;
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["__type"] = code, ["message"] = message });
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
