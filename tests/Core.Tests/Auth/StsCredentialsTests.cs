using Amazon.Runtime;
using Kinesis.Clients.Auth;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Tests.Auth;

/// <summary>
/// Assume-role and web identity providers as the resolver hands them to the signer: STS is called through the
/// statically referenced client (signed with the source key for AssumeRole), and a refusal becomes a retryable
/// <see cref="AwsCredentialsException"/> naming the role and the fix.
/// </summary>
[Collection(ProcessEnvironment.Name)]
public sealed class StsCredentialsTests
{
    private const string RoleArn = "arn:aws:iam::000000000000:role/unit";

    [Fact]
    public void An_assume_role_provider_is_replaced_once_keeping_its_role_session_and_options()
    {
        var given = new AssumeRoleAWSCredentials(new BasicAWSCredentials("AKIDSOURCE", "s"), RoleArn, "unit-session",
            new AssumeRoleAWSCredentialsOptions { ExternalId = "ext", DurationSeconds = 1800 });

        var resolved = Assert.IsType<AssumeRoleAWSCredentials>(AwsCredentialsResolver.Resolve(given), exactMatch: false);

        Assert.NotSame(given, resolved);
        Assert.Same(resolved, AwsCredentialsResolver.Resolve(given));
        Assert.Equal((RoleArn, "unit-session", "ext", 1800), (resolved.RoleArn, resolved.RoleSessionName, resolved.Options.ExternalId, resolved.Options.DurationSeconds));
        Assert.Same(given.SourceCredentials, resolved.SourceCredentials);
    }

    [Fact(Timeout = 30_000)]
    public async Task AssumeRole_is_signed_with_the_source_key_and_its_credentials_are_the_issued_ones()
    {
        await using var sts = await LoopbackSts.StartAsync();
        sts.ExpectedSourceKey = "AKIDSOURCE";
        using var environment = StsEnvironment(sts);
        var given = new AssumeRoleAWSCredentials(new BasicAWSCredentials("AKIDSOURCE", "s"), RoleArn, "unit-session",
            new AssumeRoleAWSCredentialsOptions { ExternalId = "ext" });

        var current = await AwsCredentialsResolver.Resolve(given).GetCredentialsAsync();

        var call = Assert.Single(sts.Calls);
        Assert.Equal(("AssumeRole", "AKIDSOURCE", RoleArn, "unit-session", "ext"), (call.Action, call.SignedBy, call.RoleArn, call.RoleSessionName, call.ExternalId));
        Assert.Equal((call.Issued.AccessKeyId, call.Issued.SessionToken), (current.AccessKey, current.Token));
    }

    [Fact(Timeout = 30_000)]
    public async Task Web_identity_sends_the_token_file_unsigned()
    {
        await using var sts = await LoopbackSts.StartAsync();
        using var environment = StsEnvironment(sts);
        var tokenFile = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(tokenFile, "unit-web-token");
            var given = new AssumeRoleWithWebIdentityCredentials(tokenFile, RoleArn, "web-session");

            var current = await AwsCredentialsResolver.Resolve(given).GetCredentialsAsync();

            var call = Assert.Single(sts.Calls);
            Assert.Equal(("AssumeRoleWithWebIdentity", null, "unit-web-token", "web-session"), (call.Action, call.SignedBy, call.Token, call.RoleSessionName));
            Assert.Equal(call.Issued.AccessKeyId, current.AccessKey);
        }
        finally
        {
            File.Delete(tokenFile);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task A_refused_AssumeRole_fails_signing_with_a_retryable_credentials_error_naming_role_and_fix()
    {
        await using var sts = await LoopbackSts.StartAsync();
        sts.FailAll(StsFault.AccessDenied);
        using var environment = StsEnvironment(sts);
        var credentials = AwsCredentialsResolver.Resolve(new AssumeRoleAWSCredentials(new BasicAWSCredentials("AKIDSOURCE", "s"), RoleArn, "s"));
        var signer = new SigV4Signer(credentials, "us-east-1", "kinesis", TimeProvider.System);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://kinesis.us-east-1.amazonaws.com/");

        var first = await Assert.ThrowsAsync<AwsCredentialsException>(() => signer.SignAsync(request, default, CancellationToken.None).AsTask());
        var second = await Assert.ThrowsAsync<AwsCredentialsException>(() => signer.SignAsync(request, default, CancellationToken.None).AsTask());

        Assert.True(first.IsRetryable);
        Assert.False(first.IsThrottling);
        Assert.Equal(AwsCredentialsException.Code, first.ErrorCode);
        Assert.Contains(RoleArn, first.Message, StringComparison.Ordinal);
        Assert.Contains("AccessDenied", first.Message, StringComparison.Ordinal);
        Assert.Contains("trust policy", first.Message, StringComparison.Ordinal);
        // The same cause reads the same, so callers can report it once.
        Assert.Equal(first.Message, second.Message);
    }

    private static EnvironmentScope StsEnvironment(LoopbackSts sts) => new(
        ("AWS_ENDPOINT_URL_STS", sts.Endpoint.ToString()),
        ("AWS_REGION", "us-east-1"),
        ("AWS_EC2_METADATA_DISABLED", "true"));
}
