using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

public sealed partial class LoopbackFirehose
{
    private const string TargetPrefix = "Firehose_20150804.";
    private const string JsonContentType = "application/x-amz-json-1.1";

    private async Task HandleAsync(HttpContext context)
    {
        FirehoseFault? fault = null;
        var body = await SignedRequestCheck.ReadBodyAsync(context.Request).ConfigureAwait(false);
        Task latency;
        lock (_gate)
        {
            // The latency's timer starts before waiters hear of the request, so a test moving a fake clock on finds it.
            latency = _latency > TimeSpan.Zero ? Task.Delay(_latency, _time, _stopping.Token) : Task.CompletedTask;
            _attempts++;
            _waiters.Signal();
        }

        await latency.ConfigureAwait(false);

        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : null;
        var refusal = CheckRequest(context.Request, operation);
        if (refusal is not null)
        {
            await ErrorAsync(context, refusal.Value).ConfigureAwait(false);
            return;
        }

        if (operation is "PutRecord" or "PutRecordBatch")
        {
            lock (_gate)
            {
                if (_faults.Count > 0)
                {
                    fault = _faults.Dequeue();
                }
            }
        }

        switch (fault)
        {
            case FirehoseFault.Reset:
                Reject("Reset");
                context.Abort();
                return;
            case FirehoseFault.Hang:
                Reject("Hang");
                using (var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    await Task.Delay(Timeout.Infinite, held.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }

                context.Abort();
                return;
            case FirehoseFault.InternalFailure:
                await ErrorAsync(context, new(HttpStatusCode.InternalServerError, "InternalFailure", "Internal service failure.")).ConfigureAwait(false);
                return;
            case FirehoseFault.ServiceUnavailable:
                await ErrorAsync(context, SlowDown()).ConfigureAwait(false);
                return;
        }

        JsonElement request;
        try
        {
            using var document = JsonDocument.Parse(body);
            request = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            await ErrorAsync(context, new(HttpStatusCode.BadRequest, "SerializationException", ex.Message)).ConfigureAwait(false);
            return;
        }

        var (reply, error) = operation switch
        {
            "CreateDeliveryStream" => Create(request),
            "DescribeDeliveryStream" => Describe(request),
            "DeleteDeliveryStream" => Delete(request),
            "PutRecord" => PutRecord(request),
            _ => PutRecordBatch(request, fault == FirehoseFault.PartialFailure),
        };

        if (error is not null)
        {
            await ErrorAsync(context, error.Value).ConfigureAwait(false);
            return;
        }

        if (fault == FirehoseFault.ResetAfterStoring)
        {
            Reject("ResetAfterStoring");
            context.Abort();
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = JsonContentType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(reply, FirehoseJson.Options), _stopping.Token).ConfigureAwait(false);
    }

    private static FirehoseError? CheckRequest(HttpRequest request, string? operation)
    {
        if (!HttpMethods.IsPost(request.Method) || request.Path != "/")
        {
            return new(HttpStatusCode.BadRequest, "UnknownOperationException", $"{request.Method} {request.Path} is not a JSON-RPC call (POST /).");
        }

        var scope = SigV4Scope.TryParse(request.Headers.Authorization.ToString());
        if (scope is null || request.Headers["X-Amz-Date"].Count == 0)
        {
            return new(HttpStatusCode.BadRequest, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (scope.Value.Service != "firehose")
        {
            return new(HttpStatusCode.BadRequest, "InvalidSignatureException",
                $"Credential should be scoped to correct service: 'firehose'. Got '{scope.Value.Service}'.");
        }

        if (request.ContentType is not { } type || !type.StartsWith(JsonContentType, StringComparison.OrdinalIgnoreCase))
        {
            return new(HttpStatusCode.BadRequest, "SerializationException", $"Content-Type must be {JsonContentType}; got '{request.ContentType}'.");
        }

        return operation is "CreateDeliveryStream" or "DescribeDeliveryStream" or "DeleteDeliveryStream" or "PutRecord" or "PutRecordBatch"
            ? null
            : new(HttpStatusCode.BadRequest, "UnknownOperationException", $"Unknown operation '{request.Headers["X-Amz-Target"]}'.");
    }

    private static FirehoseError SlowDown() => new(HttpStatusCode.ServiceUnavailable, "ServiceUnavailableException", "Slow down.");

    private static FirehoseError NotFound(string name) =>
        new(HttpStatusCode.BadRequest, "ResourceNotFoundException", $"Firehose {name} under account 000000000000 not found.");

    private async Task ErrorAsync(HttpContext context, FirehoseError error)
    {
        Reject(error.Code);
        context.Response.StatusCode = (int)error.Status;
        context.Response.ContentType = JsonContentType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        context.Response.Headers["x-amzn-ErrorType"] = error.Code;
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["__type"] = error.Code, ["message"] = error.Message }, FirehoseJson.Options);
        await context.Response.Body.WriteAsync(json, _stopping.Token).ConfigureAwait(false);
    }

    private void Reject(string code)
    {
        lock (_gate)
        {
            _rejections.Add(code);
        }
    }
}
