using System.Text;
using Amazon.Runtime;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Tests.Http;

/// <summary>
/// <see cref="KinesisClientOptions.TrustedCertificates"/> on the request/response calls: an https endpoint with a
/// self-signed certificate (a TLS-inspecting proxy's, a test server's) is reached when trusted, refused otherwise.
/// </summary>
public sealed class TrustedCertificatesTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_trusted_self_signed_endpoint_answers_the_calls()
    {
        using var certificate = LoopbackCertificate.Create();
        await using var server = NotFoundServer(certificate);
        using var client = Client(server.Endpoint, [LoopbackCertificate.PublicPart(certificate)]);

        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() => client.DescribeStreamSummaryAsync("orders").WaitAsync(TestTimeout));

        Assert.Equal("https", server.Endpoint.Scheme);
        Assert.Equal(1, server.Requests);
        Assert.Contains("orders not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untrusted_self_signed_endpoint_is_refused_before_any_request_and_the_error_says_why()
    {
        using var certificate = LoopbackCertificate.Create();
        await using var server = NotFoundServer(certificate);
        using var client = Client(server.Endpoint, null);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.DescribeStreamSummaryAsync("orders").WaitAsync(TestTimeout));

        Assert.Null(error.StatusCode);
        Assert.True(error.IsRetryable);
        Assert.Contains("AuthenticationException: The remote certificate is invalid", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.Requests);
    }

    [Fact]
    public async Task Trusted_certificates_change_nothing_for_an_http_endpoint()
    {
        using var certificate = LoopbackCertificate.Create();
        await using var server = NotFoundServer(null);
        using var client = Client(server.Endpoint, [LoopbackCertificate.PublicPart(certificate)]);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => client.DescribeStreamSummaryAsync("orders").WaitAsync(TestTimeout));

        Assert.Equal(1, server.Requests);
    }

    private static ScriptedHttpServer NotFoundServer(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate) =>
        new(_ => ScriptedHttpServer.Respond(
            400, "application/x-amz-json-1.1", Encoding.UTF8.GetBytes("""{"__type":"ResourceNotFoundException","message":"Stream orders not found"}""")), certificate);

    private static KinesisClient Client(Uri endpoint, System.Security.Cryptography.X509Certificates.X509Certificate2Collection? trusted) =>
        new(new KinesisClientOptions
        {
            ServiceUrl = endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            Protocol = WireProtocol.Json,
            TrustedCertificates = trusted,
        });
}
