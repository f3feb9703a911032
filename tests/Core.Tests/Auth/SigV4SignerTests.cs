using Amazon.Runtime;
using Kinesis.Clients.Auth;
using Microsoft.Extensions.Time.Testing;
using static Kinesis.Clients.Tests.Auth.SigV4TestRequests;

namespace Kinesis.Clients.Tests.Auth;

public sealed class SigV4SignerTests
{
    public static TheoryData<string> SuiteCases() => new(SigV4Vectors.Suite.Select(c => c.Name));

    [Theory(Timeout = 10_000)]
    [MemberData(nameof(SuiteCases))]
    public async Task Signs_the_published_test_suite_requests(string name)
    {
        var vector = SigV4Vectors.Suite.Single(c => c.Name == name);
        var request = await SignedAsync(SuiteSigner(), vector.Method, vector.Uri, vector.ContentType, vector.Body, vector.Headers);

        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential={SigV4Vectors.SuiteScope}, SignedHeaders={vector.SignedHeaders}, Signature={vector.Signature}",
            Authorization(request));
        Assert.Equal("20150830T123600Z", Single(request, "X-Amz-Date"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Signs_the_IAM_ListUsers_GET_example()
    {
        // General Reference, "Create a canonical request for Signature Version 4" (2015 edition).
        var request = await SignedAsync(
            SuiteSigner(service: "iam"), "GET", "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
            "application/x-www-form-urlencoded; charset=utf-8");

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date, " +
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
            Authorization(request));
    }

    [Fact(Timeout = 10_000)]
    public async Task Signs_the_IAM_ListUsers_POST_example()
    {
        // General Reference, "Signed Signature Version 4 requests examples" (2011 edition): the body carries the action.
        var signer = new SigV4Signer(
            new BasicAWSCredentials(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey), "us-east-1", "iam",
            new FakeTimeProvider(new DateTimeOffset(2011, 9, 9, 23, 36, 0, TimeSpan.Zero)));

        var request = await SignedAsync(
            signer, "POST", "http://iam.amazonaws.com/", "application/x-www-form-urlencoded; charset=utf-8",
            "Action=ListUsers&Version=2010-05-08");

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/iam/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date, " +
            "Signature=ced6826de92d2bdeed8f846f0bf508e8559e98e4b0199114b84c54174deb456c",
            Authorization(request));
        Assert.Equal("20110909T233600Z", Single(request, "X-Amz-Date"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Session_credentials_add_and_sign_the_security_token()
    {
        var credentials = new SessionAWSCredentials(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, SigV4Vectors.SuiteSessionToken);

        var request = await SignedAsync(SuiteSigner(credentials), "POST", "https://example.amazonaws.com/");

        Assert.Equal(SigV4Vectors.SuiteSessionToken, Single(request, "X-Amz-Security-Token"));
        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential={SigV4Vectors.SuiteScope}, SignedHeaders=host;x-amz-date;x-amz-security-token, " +
            $"Signature={SigV4Vectors.SessionTokenSignature}",
            Authorization(request));
    }

    [Fact(Timeout = 10_000)]
    public async Task Long_term_credentials_send_no_security_token()
    {
        var request = await SignedAsync(SuiteSigner(), "POST", "https://example.amazonaws.com/");

        Assert.False(request.Headers.Contains("X-Amz-Security-Token"));
    }

    [Theory(Timeout = 10_000)]
    [InlineData("http://127.0.0.1:4567/", "127.0.0.1:4567")]
    [InlineData("http://localhost:4566/", "localhost:4566")]
    [InlineData("https://kinesis.us-east-1.amazonaws.com:8443/", "kinesis.us-east-1.amazonaws.com:8443")]
    [InlineData("https://example.amazonaws.com:443/", "example.amazonaws.com")]
    [InlineData("http://example.amazonaws.com:80/", "example.amazonaws.com")]
    [InlineData("http://[::1]:4567/", "[::1]:4567")]
    public async Task The_signed_host_is_the_one_HttpClient_sends(string uri, string expectedHost)
    {
        var signed = await SignedAsync(SuiteSigner(), "POST", uri);
        var withExplicitHost = Create("POST", "https://example.amazonaws.com/", null, []);
        withExplicitHost.Headers.Host = expectedHost;
        await SuiteSigner().SignAsync(withExplicitHost, ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        // Same host on both sides gives the same signature; the port (or its absence) is part of it.
        Assert.Equal(Authorization(withExplicitHost), Authorization(signed));
        Assert.Null(signed.Headers.Host);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_non_default_port_changes_the_signature()
    {
        var plain = await SignedAsync(SuiteSigner(), "GET", "https://example.amazonaws.com/");
        var withPort = await SignedAsync(SuiteSigner(), "GET", "https://example.amazonaws.com:8443/");

        Assert.NotEqual(SignatureOf(Authorization(plain)), SignatureOf(Authorization(withPort)));
    }

    [Fact(Timeout = 10_000)]
    public async Task Signing_again_replaces_the_previous_signature()
    {
        var time = new FakeTimeProvider(SigV4Vectors.SuiteTime);
        var signer = new SigV4Signer(
            new SessionAWSCredentials(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, SigV4Vectors.SuiteSessionToken),
            SigV4Vectors.SuiteRegion, SigV4Vectors.SuiteService, time);
        var request = Create("POST", "https://example.amazonaws.com/", null, []);
        await signer.SignAsync(request, ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        time.Advance(TimeSpan.FromMinutes(1));
        await signer.SignAsync(request, ReadOnlyMemory<byte>.Empty, CancellationToken.None);

        Assert.Equal("20150830T123700Z", Single(request, "X-Amz-Date"));
        Assert.Equal(SigV4Vectors.SuiteSessionToken, Single(request, "X-Amz-Security-Token"));
        Assert.DoesNotContain(SigV4Vectors.SessionTokenSignature, Authorization(request), StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task Kinesis_requests_sign_the_target_and_content_type()
    {
        var signer = new SigV4Signer(
            new BasicAWSCredentials(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey), "us-east-1", "kinesis",
            new FakeTimeProvider(SigV4Vectors.SuiteTime));

        var request = await SignedAsync(
            signer, "POST", "https://kinesis.us-east-1.amazonaws.com/", "application/x-amz-json-1.1", "{}",
            "X-Amz-Target:Kinesis_20131202.ListStreams", "User-Agent:kinesis-clients/1.0");

        var authorization = Authorization(request);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/kinesis/aws4_request, ", authorization, StringComparison.Ordinal);
        Assert.Contains(" SignedHeaders=content-type;host;x-amz-date;x-amz-target, ", authorization, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_body_is_part_of_the_signature()
    {
        var one = await SignedAsync(SuiteSigner(), "POST", "https://example.amazonaws.com/", "application/x-amz-json-1.1", "{\"a\":1}");
        var two = await SignedAsync(SuiteSigner(), "POST", "https://example.amazonaws.com/", "application/x-amz-json-1.1", "{\"a\":2}");

        Assert.NotEqual(SignatureOf(Authorization(one)), SignatureOf(Authorization(two)));
    }

    [Fact(Timeout = 10_000)]
    public async Task Credentials_are_read_on_every_request()
    {
        var credentials = new RotatingCredentials();
        var signer = SuiteSigner(credentials);

        var first = await SignedAsync(signer, "GET", "https://example.amazonaws.com/");
        credentials.Current = new ImmutableCredentials("AKIDROTATED", "rotated-secret", "rotated-token");
        var second = await SignedAsync(signer, "GET", "https://example.amazonaws.com/");

        Assert.Equal(
            $"AWS4-HMAC-SHA256 Credential={SigV4Vectors.SuiteScope}, SignedHeaders=host;x-amz-date, " +
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            Authorization(first));
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDROTATED/20150830/", Authorization(second), StringComparison.Ordinal);
        Assert.Equal("rotated-token", Single(second, "X-Amz-Security-Token"));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_relative_request_uri_is_rejected()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/", UriKind.Relative));

        await Assert.ThrowsAsync<ArgumentException>(() => SuiteSigner().SignAsync(request, ReadOnlyMemory<byte>.Empty, CancellationToken.None).AsTask());
    }

    [Fact(Timeout = 10_000)]
    public async Task Cancellation_while_waiting_for_credentials_is_honoured()
    {
        var pending = new TaskCompletionSource<ImmutableCredentials>(TaskCreationOptions.RunContinuationsAsynchronously);
        var signer = SuiteSigner(new PendingCredentials(pending.Task));
        using var cancellation = new CancellationTokenSource();
        var request = Create("GET", "https://example.amazonaws.com/", null, []);

        var signing = signer.SignAsync(request, ReadOnlyMemory<byte>.Empty, cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signing);
        Assert.False(request.Headers.Contains("Authorization"));
    }

    [Fact]
    public void The_constructor_checks_its_arguments()
    {
        var credentials = new BasicAWSCredentials("a", "b");
        Assert.Throws<ArgumentNullException>(() => new SigV4Signer(null!, "us-east-1", "kinesis", TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new SigV4Signer(credentials, " ", "kinesis", TimeProvider.System));
        Assert.Throws<ArgumentException>(() => new SigV4Signer(credentials, "us-east-1", "", TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new SigV4Signer(credentials, "us-east-1", "kinesis", null!));

        var signer = new SigV4Signer(credentials, "eu-west-1", "monitoring", TimeProvider.System);
        Assert.Equal("eu-west-1", signer.Region);
        Assert.Equal("monitoring", signer.Service);
    }

    private sealed class RotatingCredentials : AWSCredentials
    {
        public ImmutableCredentials Current { get; set; } = new(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, null);

        public override ImmutableCredentials GetCredentials() => Current;
    }

    private sealed class PendingCredentials(Task<ImmutableCredentials> pending) : AWSCredentials
    {
        public override ImmutableCredentials GetCredentials() => throw new InvalidOperationException("Only the async path is used.");

        public override Task<ImmutableCredentials> GetCredentialsAsync() => pending;
    }
}
