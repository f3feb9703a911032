using Amazon.Runtime.CredentialManagement;
using Kinesis.Clients.Endpoints;

namespace Kinesis.Clients.Tests.Endpoints;

/// <summary>The region read from real shared config files through AWSSDK.Core's profile reader.</summary>
public sealed class SharedConfigRegionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kinesis-clients-config-").FullName;

    [Fact]
    public void The_region_of_the_selected_profile_is_used()
    {
        // AWSSDK.Core reads AWS_CONFIG_FILE once per process, so the files are handed to its reader directly.
        File.WriteAllText(Path.Combine(_directory, "config"), "[default]\nregion = eu-central-1\n\n[profile analytics]\nregion = ap-southeast-2\n");
        var credentials = Path.Combine(_directory, "credentials");
        File.WriteAllText(credentials, "[keys-only]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n");
        string? Lookup(string profile) => AwsRegionResolver.ProfileRegion(new SharedCredentialsFile(credentials), profile);

        Assert.Equal("eu-central-1", AwsRegionResolver.Resolve(null, AwsRegionResolverTests.Environment(), Lookup));
        Assert.Equal("ap-southeast-2", AwsRegionResolver.Resolve(null, AwsRegionResolverTests.Environment(("AWS_PROFILE", "analytics")), Lookup));
        Assert.Throws<InvalidOperationException>(
            () => AwsRegionResolver.Resolve(null, AwsRegionResolverTests.Environment(("AWS_PROFILE", "keys-only")), Lookup));
        Assert.Throws<InvalidOperationException>(
            () => AwsRegionResolver.Resolve(null, AwsRegionResolverTests.Environment(("AWS_PROFILE", "missing")), Lookup));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
