using Amazon.Runtime;
using Kinesis.Clients.Auth;

namespace Kinesis.Clients.Tests.Auth;

[Collection(ProcessEnvironment.Name)]
public sealed class AwsCredentialsResolverTests
{
    [Fact]
    public void Explicit_credentials_are_used_as_given()
    {
        var explicitCredentials = new BasicAWSCredentials("AKIDEXPLICIT", "explicit-secret");

        Assert.Same(explicitCredentials, AwsCredentialsResolver.Resolve(explicitCredentials));
    }

    [Fact(Timeout = 10_000)]
    public async Task The_default_chain_reads_the_environment_variables()
    {
        using var environment = IsolatedEnvironment(
            ("AWS_ACCESS_KEY_ID", "AKIDFROMENVIRONMENT"),
            ("AWS_SECRET_ACCESS_KEY", "secret-from-environment"),
            ("AWS_SESSION_TOKEN", "token-from-environment"));

        var resolved = AwsCredentialsResolver.Resolve(null);
        var current = await resolved.GetCredentialsAsync();

        Assert.Equal("AKIDFROMENVIRONMENT", current.AccessKey);
        Assert.Equal("secret-from-environment", current.SecretKey);
        Assert.Equal("token-from-environment", current.Token);
        Assert.True(current.UseToken);
    }

    [Fact(Timeout = 10_000)]
    public async Task The_default_chain_follows_changed_environment_variables()
    {
        using var environment = IsolatedEnvironment(
            ("AWS_ACCESS_KEY_ID", "AKIDFIRST"),
            ("AWS_SECRET_ACCESS_KEY", "first-secret"));
        var first = await AwsCredentialsResolver.Resolve(null).GetCredentialsAsync();

        environment.Set("AWS_ACCESS_KEY_ID", "AKIDSECOND");
        environment.Set("AWS_SECRET_ACCESS_KEY", "second-secret");
        var second = await AwsCredentialsResolver.Resolve(null).GetCredentialsAsync();

        Assert.Equal(("AKIDFIRST", false), (first.AccessKey, first.UseToken));
        Assert.Equal(("AKIDSECOND", "second-secret"), (second.AccessKey, second.SecretKey));
    }

    // Keeps the chain on the environment: no profile, no web identity, no instance metadata lookups off EC2.
    private static EnvironmentScope IsolatedEnvironment(params (string Name, string? Value)[] variables) =>
        new(
        [
            ("AWS_PROFILE", null),
            ("AWS_SESSION_TOKEN", null),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", null),
            ("AWS_ROLE_ARN", null),
            ("AWS_EC2_METADATA_DISABLED", "true"),
            .. variables,
        ]);
}
