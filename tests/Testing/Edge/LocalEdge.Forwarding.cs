using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

public sealed partial class LocalEdge
{
    // Hop-by-hop headers (RFC 9110, 7.6.1) belong to one connection and are not passed on.
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade",
    };

    private readonly Dictionary<EdgeService, long> _counts = [];

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var service = EdgeRoute.For(request.Method, request.Path.Value ?? "/", request.Headers["X-Amz-Target"].ToString(), request.Headers.Authorization.ToString());
        lock (_counts)
        {
            _counts[service] = _counts.GetValueOrDefault(service) + 1;
        }

        switch (service)
        {
            case EdgeService.Health:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(
                    """{"services":{"kinesis":"running","dynamodb":"running","cloudwatch":"running"}}""", context.RequestAborted).ConfigureAwait(false);
                return;
            case EdgeService.Unknown:
                await RefuseAsync(
                    context, HttpStatusCode.BadRequest, "UnknownOperationException",
                    $"{request.Method} {request.Path} with X-Amz-Target '{request.Headers["X-Amz-Target"]}' is for no service this edge serves " +
                    "(Kinesis_20131202.*, DynamoDB_20120810.*, CloudWatch signed for 'monitoring', GET " + EdgeRoute.HealthPath + ").").ConfigureAwait(false);
                return;
        }

        var backend = service switch
        {
            EdgeService.Kinesis => _kinesis,
            EdgeService.SubscribeToShard => FanOut.Endpoint,
            EdgeService.DynamoDb => _dynamoDb,
            _ => CloudWatch.Endpoint,
        };
        await ForwardAsync(context, backend, http2: service == EdgeService.SubscribeToShard).ConfigureAwait(false);
    }

    private async Task ForwardAsync(HttpContext context, Uri backend, bool http2)
    {
        var request = context.Request;
        using var outgoing = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(backend, request.Path.Value + request.QueryString.Value));
        if (http2)
        {
            outgoing.Version = HttpVersion.Version20;
            outgoing.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || (request.ContentLength is null && !HttpMethods.IsGet(request.Method)))
        {
            outgoing.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name) || name.StartsWith(':') || string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!outgoing.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                outgoing.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // The host the client signed, as LocalStack passes it on.
        outgoing.Headers.Host = request.Host.Value;

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(outgoing, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            await RefuseAsync(context, HttpStatusCode.BadGateway, "InternalFailure", $"The edge could not reach {backend}: {e.Message}").ConfigureAwait(false);
            return;
        }

        using (response)
        {
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            // Streamed as it arrives: a SubscribeToShard reply is a stream of events over minutes.
            await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted).ConfigureAwait(false);
            try
            {
                await body.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
            {
                // The backend dropped the reply midway (e.g. a scripted reset): drop the client's the same way.
                context.Abort();
            }
        }
    }

    private static async Task RefuseAsync(HttpContext context, HttpStatusCode status, string code, string message)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/x-amz-json-1.1";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = code, ["message"] = message }), context.RequestAborted).ConfigureAwait(false);
    }
}
