using System.Globalization;
using System.Net.Http.Headers;
using System.Text;

namespace Kinesis.Clients.Testing;

/// <summary>Readiness checks: an engine is up once it gives any HTTP answer to a cheap, well-formed call.</summary>
internal static class EngineProbe
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromSeconds(10),
    })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>
    /// A Kinesis ListStreams request with a well-formed but fake SigV4 header: kinesis-mock (and LocalStack)
    /// check only that one is present, and answer 400 (IncompleteSignatureException or
    /// MissingAuthenticationTokenException) without it.
    /// </summary>
    public static HttpRequestMessage KinesisListStreams(Uri endpoint, string region) =>
        KinesisJson(endpoint, region, "ListStreams", "{}");

    /// <summary>A Kinesis JSON 1.1 call to <paramref name="operation"/> with a fake SigV4 header.</summary>
    public static HttpRequestMessage KinesisJson(Uri endpoint, string region, string operation, string json)
    {
        var now = DateTimeOffset.UtcNow;
        var date = now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(json, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Kinesis_20131202." + operation);
        request.Headers.TryAddWithoutValidation("X-Amz-Date", now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(
            "Authorization",
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/{date}/{region}/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=00");
        return request;
    }

    /// <summary>A DynamoDB ListTables request; dynalite does not check signatures at all.</summary>
    public static HttpRequestMessage DynamoDbListTables(Uri endpoint)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent("{}", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.ListTables");
        return request;
    }

    /// <summary>True once the request gets any HTTP response; false while the port refuses or stalls.</summary>
    public static async Task<bool> AnswersAsync(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
    {
        try
        {
            using var message = request();
            using var response = await Http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout: the engine accepted the connection but is still warming up.
            return false;
        }
    }
}
