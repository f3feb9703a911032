using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

/// <summary>The loopback server checks requests the way the service does before it streams anything.</summary>
[Trait("Category", "Engine")]
public sealed class SubscribeToShardServerTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws = fixture.Aws;

    [Theory(Timeout = 60_000)]
    [InlineData(null, "MissingAuthenticationTokenException")]
    [InlineData("Bearer abc", "IncompleteSignatureException")]
    [InlineData("AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/monitoring/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "InvalidSignatureException")]
    public async Task Requests_not_signed_for_kinesis_are_refused(string? authorization, string expected)
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws);
        using var http = Http(scenario);
        using var request = Request(scenario, "Kinesis_20131202.SubscribeToShard");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            request.Headers.TryAddWithoutValidation("X-Amz-Date", "20260101T000000Z");
        }

        using var response = await http.SendAsync(request).WaitAsync(FanOutScenario.Deadline);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(expected, await ErrorTypeAsync(response));
        Assert.Empty(scenario.Server.Calls);
    }

    [Fact(Timeout = 60_000)]
    public async Task Other_operations_are_not_served()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws);
        using var http = Http(scenario);
        using var request = Request(scenario, "Kinesis_20131202.GetRecords");

        using var response = await http.SendAsync(request).WaitAsync(FanOutScenario.Deadline);

        Assert.Equal("UnknownOperationException", await ErrorTypeAsync(response));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_server_speaks_HTTP2_only()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws);
        using var http = Http(scenario);
        using var request = Request(scenario, "Kinesis_20131202.SubscribeToShard");
        request.Version = HttpVersion.Version11;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;

        var outcome = await Record.ExceptionAsync(async () =>
        {
            using var response = await http.SendAsync(request).WaitAsync(FanOutScenario.Deadline);
            Assert.False(response.IsSuccessStatusCode, $"HTTP/1.1 got {(int)response.StatusCode} {response.Version}");
        });

        Assert.True(outcome is null or HttpRequestException, outcome?.ToString());
        Assert.Empty(scenario.Server.Calls);
    }

    [Fact(Timeout = 60_000)]
    public async Task Over_TLS_the_server_agrees_on_HTTP2_by_ALPN_on_TLS_1_2_or_later()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws);
        using var http = Http(scenario);
        using var request = Request(scenario, "Kinesis_20131202.GetRecords");

        using var response = await http.SendAsync(request).WaitAsync(FanOutScenario.Deadline);

        Assert.Equal("https", scenario.Server.Endpoint.Scheme);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal("UnknownOperationException", await ErrorTypeAsync(response));
    }

    // Trusts the server's certificate alone: the requests here are the tests' own, not a Kinesis client's.
    private static HttpClient Http(FanOutScenario scenario)
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(scenario.Server.Certificate!);
        return new HttpClient(new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } });
    }

    private static HttpRequestMessage Request(FanOutScenario scenario, string target)
    {
        var body = JsonSerializer.Serialize(new
        {
            ConsumerARN = scenario.ConsumerArn,
            ShardId = scenario.ShardId,
            StartingPosition = new { Type = "TRIM_HORIZON" },
        });
        var request = new HttpRequestMessage(HttpMethod.Post, scenario.Server.Endpoint)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1"),
        };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        return request;
    }

    private static async Task<string?> ErrorTypeAsync(HttpResponseMessage response)
    {
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("__type").GetString();
    }
}
