using Kinesis.Clients.Endpoints;

namespace Kinesis.Clients.Tests.Endpoints;

public sealed class AwsRegionResolverTests
{
    private const string None = "";

    // explicit | AWS_REGION | AWS_DEFAULT_REGION | AWS_PROFILE | profile regions ("name=region;...") | expected
    [Theory]
    [InlineData("eu-west-1", "us-east-1", "us-east-2", None, "default=ap-south-1", "eu-west-1")]
    [InlineData(None, "us-east-1", "us-east-2", None, "default=ap-south-1", "us-east-1")]
    [InlineData(None, None, "us-east-2", None, "default=ap-south-1", "us-east-2")]
    [InlineData(None, None, None, None, "default=ap-south-1", "ap-south-1")]
    [InlineData(None, None, None, "work", "default=ap-south-1;work=sa-east-1", "sa-east-1")]
    [InlineData(None, None, None, " work ", "work=sa-east-1", "sa-east-1")]
    [InlineData("  ", " ", "\t", None, "default=ca-central-1", "ca-central-1")]
    [InlineData(" US-WEST-2 ", None, None, None, None, "us-west-2")]
    [InlineData(None, "cn-north-1", None, None, None, "cn-north-1")]
    [InlineData("local", None, None, None, None, "local")]
    public void Picks_the_first_region_set(
        string? explicitRegion, string? awsRegion, string? defaultRegion, string? profile, string? profileRegions, string expected)
    {
        var environment = Environment(("AWS_REGION", awsRegion), ("AWS_DEFAULT_REGION", defaultRegion), ("AWS_PROFILE", profile));

        var region = AwsRegionResolver.Resolve(NullIfEmpty(explicitRegion), environment, Profiles(profileRegions));

        Assert.Equal(expected, region);
    }

    [Fact]
    public void The_profile_named_by_AWS_PROFILE_is_asked_for_and_default_otherwise()
    {
        var asked = new List<string>();
        string? Lookup(string name)
        {
            asked.Add(name);
            return "eu-north-1";
        }

        AwsRegionResolver.Resolve(null, Environment(("AWS_PROFILE", "ops")), Lookup);
        AwsRegionResolver.Resolve(null, Environment(), Lookup);

        Assert.Equal(["ops", "default"], asked);
    }

    [Fact]
    public void No_region_anywhere_is_an_error_that_says_where_to_set_one()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => AwsRegionResolver.Resolve(null, Environment(("AWS_PROFILE", "ops")), Profiles(null), "KinesisRegion"));

        Assert.Contains("KinesisRegion", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
        Assert.Contains("AWS_DEFAULT_REGION", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ops'", error.Message, StringComparison.Ordinal);
    }

    // explicit | AWS_REGION | AWS_DEFAULT_REGION | profile region | the source named
    [Theory]
    [InlineData("us east 1", None, None, None, "Region")]
    [InlineData(None, "us_east_1", None, None, "AWS_REGION")]
    [InlineData(None, None, "us-east-1.", None, "AWS_DEFAULT_REGION")]
    [InlineData(None, None, None, "eu/west", "AWS_PROFILE")]
    [InlineData("https://kinesis.us-east-1.amazonaws.com", None, None, None, "Region")]
    public void A_malformed_region_is_rejected_naming_its_source(
        string? explicitRegion, string? awsRegion, string? defaultRegion, string? profileRegion, string source)
    {
        var environment = Environment(("AWS_REGION", awsRegion), ("AWS_DEFAULT_REGION", defaultRegion));

        var error = Assert.Throws<ArgumentException>(
            () => AwsRegionResolver.Resolve(NullIfEmpty(explicitRegion), environment, _ => NullIfEmpty(profileRegion)));

        Assert.Equal(source, error.ParamName);
    }

    [Fact]
    public void The_public_overload_reads_the_given_environment()
    {
        Assert.Equal("me-south-1", AwsRegionResolver.Resolve(null, Environment(("AWS_REGION", "me-south-1"))));
        Assert.Equal("af-south-1", AwsRegionResolver.Resolve("af-south-1", Environment()));
    }

    internal static Func<string, string?> Environment(params (string Name, string? Value)[] variables)
    {
        var values = variables.Where(v => !string.IsNullOrEmpty(v.Value)).ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => values.GetValueOrDefault(name);
    }

    private static Func<string, string?> Profiles(string? regions)
    {
        var byName = (regions ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return name => byName.GetValueOrDefault(name);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
