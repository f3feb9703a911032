using System.Security.Cryptography;
using System.Text;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The agent program (natively compiled under <c>./build.sh test</c>) with credentials that need STS or the SSO
/// portal, or from container or instance metadata: every line arrives, signed with the temporary credentials the
/// loopback server issued.
/// </summary>
[Trait("Category", "Engine")]
public sealed class CredentialsTests : IClassFixture<LocalAwsFixture>
{
    private const string RoleArn = "arn:aws:iam::000000000000:role/kinesis-shipper";

    private readonly LocalAws _aws;

    public CredentialsTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task AssumeRoleARN_with_an_external_id_and_sts_endpoint_signs_with_the_assumed_role()
    {
        await using var scenario = await CredentialsScenario.StartAsync(_aws);
        var sourceKey = _aws.Credentials.GetCredentials().AccessKey;
        scenario.Sts.ExpectedSourceKey = sourceKey;
        var config = scenario.WriteConfig(withKeys: true, new Dictionary<string, object>
        {
            ["assumeRoleARN"] = RoleArn,
            ["assumeRoleExternalId"] = "shipper-42",
            ["sts.endpoint"] = scenario.Sts.Endpoint.ToString(),
        });
        var environment = scenario.Environment();
        environment.Remove("AWS_ENDPOINT_URL_STS");
        var lines = scenario.AppendLines("assumed", 200);

        using var agent = AgentProcess.Start(["run", "-c", config], parent: null, environment);
        await scenario.WaitForLinesAsync(lines, agent);

        var call = Assert.Single(scenario.Sts.Calls.DistinctBy(c => (c.Action, c.RoleArn)));
        Assert.Equal("AssumeRole", call.Action);
        Assert.Equal(sourceKey, call.SignedBy);
        Assert.Equal(RoleArn, call.RoleArn);
        Assert.Equal("AWSKinesisAgent", call.RoleSessionName);
        Assert.Equal("shipper-42", call.ExternalId);
        Assert.Equal(3600, call.DurationSeconds);
        scenario.AssertSignedOnlyWithIssuedKeys();
    }

    [Fact]
    public async Task Web_identity_from_the_environment_signs_with_the_role_it_assumes()
    {
        await using var scenario = await CredentialsScenario.StartAsync(_aws);
        var tokenFile = scenario.WriteHomeFile("token/web-identity", "eyJhbGciOiJSUzI1NiJ9.loopback-token.sig");
        var environment = scenario.Environment();
        environment["AWS_WEB_IDENTITY_TOKEN_FILE"] = tokenFile;
        environment["AWS_ROLE_ARN"] = RoleArn;
        environment["AWS_ROLE_SESSION_NAME"] = "pod-session";
        var lines = scenario.AppendLines("web identity", 200);

        using var agent = AgentProcess.Start(["run", "-c", scenario.WriteConfig(withKeys: false)], parent: null, environment);
        await scenario.WaitForLinesAsync(lines, agent);

        var call = scenario.Sts.Calls[0];
        Assert.Equal("AssumeRoleWithWebIdentity", call.Action);
        Assert.Null(call.SignedBy);
        Assert.Equal("eyJhbGciOiJSUzI1NiJ9.loopback-token.sig", call.Token);
        Assert.Equal(RoleArn, call.RoleArn);
        Assert.Equal("pod-session", call.RoleSessionName);
        scenario.AssertSignedOnlyWithIssuedKeys();
    }

    [Fact]
    public async Task A_profile_with_role_arn_and_source_profile_assumes_the_role_with_the_source_keys()
    {
        await using var scenario = await CredentialsScenario.StartAsync(_aws);
        scenario.Sts.ExpectedSourceKey = "AKIDSOURCEPROFILE";
        scenario.WriteHomeFile(".aws/credentials", "[base]\naws_access_key_id = AKIDSOURCEPROFILE\naws_secret_access_key = source-profile-secret\n");
        scenario.WriteHomeFile(".aws/config", $"[profile shipper]\nrole_arn = {RoleArn}\nsource_profile = base\nexternal_id = profile-external\n");
        var environment = scenario.Environment();
        environment["AWS_PROFILE"] = "shipper";
        var lines = scenario.AppendLines("profile", 200);

        using var agent = AgentProcess.Start(["run", "-c", scenario.WriteConfig(withKeys: false)], parent: null, environment);
        await scenario.WaitForLinesAsync(lines, agent);

        var call = scenario.Sts.Calls[0];
        Assert.Equal("AssumeRole", call.Action);
        Assert.Equal("AKIDSOURCEPROFILE", call.SignedBy);
        Assert.Equal(RoleArn, call.RoleArn);
        Assert.Equal("profile-external", call.ExternalId);
        scenario.AssertSignedOnlyWithIssuedKeys();
    }

    [Fact]
    public async Task An_SSO_profile_with_a_cached_token_gets_role_credentials_from_the_portal()
    {
        await using var scenario = await CredentialsScenario.StartAsync(_aws);
        scenario.WriteHomeFile(".aws/config",
            "[profile sso-shipper]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Shipper\n\n" +
            "[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\nsso_registration_scopes = sso:account:access\n");
        // The SDK finds the session's token under the SHA-1 of the session name, as the AWS CLI writes it.
#pragma warning disable CA5350 // A file name, not security: the SDK and the AWS CLI name the cache file so.
        var cacheName = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("corp"))) + ".json";
#pragma warning restore CA5350
        var expires = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        scenario.WriteHomeFile(Path.Combine(".aws", "sso", "cache", cacheName),
            $"{{\"startUrl\":\"https://corp.awsapps.com/start\",\"region\":\"us-east-1\",\"accessToken\":\"sso-access-token\",\"expiresAt\":\"{expires}\"}}");
        var environment = scenario.Environment();
        environment["AWS_PROFILE"] = "sso-shipper";
        var lines = scenario.AppendLines("sso", 200);

        using var agent = AgentProcess.Start(["run", "-c", scenario.WriteConfig(withKeys: false)], parent: null, environment);
        await scenario.WaitForLinesAsync(lines, agent);

        var call = scenario.Sts.Calls[0];
        Assert.Equal("GetRoleCredentials", call.Action);
        Assert.Equal("111122223333/Shipper", call.RoleArn);
        Assert.Equal("sso-access-token", call.Token);
        scenario.AssertSignedOnlyWithIssuedKeys();
    }

    [Fact]
    public async Task A_refused_AssumeRole_is_logged_once_and_the_lines_arrive_when_STS_accepts_again()
    {
        await using var scenario = await CredentialsScenario.StartAsync(_aws);
        scenario.Sts.FailAll(StsFault.AccessDenied);
        var config = scenario.WriteConfig(withKeys: true, new Dictionary<string, object> { ["assumeRoleARN"] = RoleArn });
        var lines = scenario.AppendLines("held", 100);

        using var agent = AgentProcess.Start(["run", "-c", config], parent: null, scenario.Environment());
        // Several refusals: the producer asked again and again (ListShards and PutRecords retries).
        await AgentHarness.WaitForAsync(() => scenario.Sts.Rejections.Count >= 5 || agent.HasExited, () => agent.Output);
        Assert.False(agent.HasExited, agent.Output);
        await AgentHarness.WaitForAsync(() => agent.Output.Contains("could not be obtained", StringComparison.Ordinal), () => agent.Output);
        scenario.Sts.ClearFaults();
        await scenario.WaitForLinesAsync(lines, agent);

        var output = agent.Output;
        var failures = output.Split('\n').Where(l => l.Contains("could not be obtained", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(failures);
        Assert.Contains(RoleArn, line, StringComparison.Ordinal);
        Assert.Contains("AccessDenied", line, StringComparison.Ordinal);
        Assert.Contains("trust policy", line, StringComparison.Ordinal);
        Assert.Contains("credentials work again", output, StringComparison.Ordinal);
        scenario.AssertSignedOnlyWithIssuedKeys();
    }

    [Fact]
    public async Task Container_credentials_from_a_loopback_full_uri_sign_the_records()
    {
        await using var scenario = await CredentialsScenario.StartAsync(_aws);
        var environment = scenario.Environment();
        environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = scenario.Sts.ContainerCredentialsUri.ToString();
        environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "container-auth";
        var lines = scenario.AppendLines("container", 200);

        using var agent = AgentProcess.Start(["run", "-c", scenario.WriteConfig(withKeys: false)], parent: null, environment);
        await scenario.WaitForLinesAsync(lines, agent);

        var call = scenario.Sts.Calls[0];
        Assert.Equal(("ContainerCredentials", "container-auth"), (call.Action, call.Token));
        scenario.AssertSignedOnlyWithIssuedKeys();
    }

    [Fact]
    public async Task Instance_metadata_credentials_through_IMDSv2_sign_the_records()
    {
        await using var scenario = await CredentialsScenario.StartAsync(_aws);
        var environment = scenario.Environment();
        environment["AWS_EC2_METADATA_DISABLED"] = "false";
        environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = scenario.Sts.MetadataEndpoint.ToString();
        var lines = scenario.AppendLines("instance", 200);

        using var agent = AgentProcess.Start(["run", "-c", scenario.WriteConfig(withKeys: false)], parent: null, environment);
        await scenario.WaitForLinesAsync(lines, agent);

        var call = scenario.Sts.Calls[0];
        Assert.Equal("InstanceMetadata", call.Action);
        Assert.StartsWith("imds-", call.Token, StringComparison.Ordinal);
        scenario.AssertSignedOnlyWithIssuedKeys();
    }
}
