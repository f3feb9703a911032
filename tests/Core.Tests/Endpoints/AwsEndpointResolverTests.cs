using Kinesis.Clients.Endpoints;
using Kinesis.Clients.Tests.Auth;
using static Kinesis.Clients.Tests.Endpoints.AwsRegionResolverTests;

namespace Kinesis.Clients.Tests.Endpoints;

public sealed class AwsEndpointResolverTests
{
    private const string None = "";

    // service | prefix | explicit | AWS_ENDPOINT_URL_<service> | AWS_ENDPOINT_URL | AWS_IGNORE_CONFIGURED_ENDPOINT_URLS | region | expected
    [Theory]
    [InlineData("KINESIS", "kinesis", "http://explicit:1/", "http://specific:2", "http://global:3", None, "us-east-1", "http://explicit:1/")]
    [InlineData("KINESIS", "kinesis", None, "http://specific:2", "http://global:3", None, "us-east-1", "http://specific:2/")]
    [InlineData("KINESIS", "kinesis", None, None, "http://localhost:4566", None, "us-east-1", "http://localhost:4566/")]
    [InlineData("KINESIS", "kinesis", None, " ", " http://localhost:4566 ", None, "us-east-1", "http://localhost:4566/")]
    [InlineData("KINESIS", "kinesis", None, None, None, None, "us-east-1", "https://kinesis.us-east-1.amazonaws.com/")]
    [InlineData("DYNAMODB", "dynamodb", None, None, None, None, "eu-west-1", "https://dynamodb.eu-west-1.amazonaws.com/")]
    [InlineData("CLOUDWATCH", "monitoring", None, None, None, None, "ap-northeast-1", "https://monitoring.ap-northeast-1.amazonaws.com/")]
    [InlineData("KINESIS", "kinesis", None, None, None, None, "cn-north-1", "https://kinesis.cn-north-1.amazonaws.com.cn/")]
    [InlineData("CLOUDWATCH", "monitoring", None, None, None, None, "cn-northwest-1", "https://monitoring.cn-northwest-1.amazonaws.com.cn/")]
    [InlineData("KINESIS", "kinesis", None, None, None, None, "us-gov-west-1", "https://kinesis.us-gov-west-1.amazonaws.com/")]
    [InlineData("KINESIS", "kinesis", None, None, None, None, "us-iso-east-1", "https://kinesis.us-iso-east-1.c2s.ic.gov/")]
    [InlineData("KINESIS", "kinesis", None, "http://specific:2", "http://global:3", "true", "us-east-1", "https://kinesis.us-east-1.amazonaws.com/")]
    [InlineData("KINESIS", "kinesis", None, "http://specific:2", "http://global:3", " TRUE ", "us-east-1", "https://kinesis.us-east-1.amazonaws.com/")]
    [InlineData("KINESIS", "kinesis", None, "http://specific:2", None, "false", "us-east-1", "http://specific:2/")]
    [InlineData("KINESIS", "kinesis", "http://explicit:1", "http://specific:2", None, "true", "us-east-1", "http://explicit:1/")]
    [InlineData("KINESIS", "kinesis", "https://vpce-1.kinesis.us-east-1.vpce.amazonaws.com", None, None, None, "us-east-1", "https://vpce-1.kinesis.us-east-1.vpce.amazonaws.com/")]
    [InlineData("KINESIS", "kinesis", None, None, "http://localhost:4566/base/path", None, "us-east-1", "http://localhost:4566/base/path")]
    public void Picks_the_first_endpoint_configured(
        string service, string prefix, string? explicitEndpoint, string? specific, string? global, string? ignore, string region, string expected)
    {
        var environment = Environment(
            ($"AWS_ENDPOINT_URL_{service}", specific), ("AWS_ENDPOINT_URL", global), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", ignore));

        var endpoint = AwsEndpointResolver.Resolve(service, prefix, ExplicitUri(explicitEndpoint), region, environment);

        Assert.Equal(new Uri(expected), endpoint);
    }

    [Theory]
    [InlineData("KINESIS", "http://localhost:4567/", "https://dynamodb.us-east-1.amazonaws.com/")]
    [InlineData("CLOUDWATCH", "http://localhost:4567/", "https://dynamodb.us-east-1.amazonaws.com/")]
    [InlineData("DYNAMODB", "http://localhost:4567/", "http://localhost:4567/")]
    public void A_service_variable_applies_to_its_own_service_only(string variableService, string value, string expectedForDynamoDb)
    {
        var environment = Environment(($"AWS_ENDPOINT_URL_{variableService}", value));

        Assert.Equal(new Uri(expectedForDynamoDb), AwsEndpointResolver.Resolve("DYNAMODB", "dynamodb", null, "us-east-1", environment));
    }

    // explicit | AWS_ENDPOINT_URL_KINESIS | AWS_ENDPOINT_URL | the source named
    [Theory]
    [InlineData(None, "localhost:4566", None, "AWS_ENDPOINT_URL_KINESIS")]
    [InlineData(None, "not a uri", None, "AWS_ENDPOINT_URL_KINESIS")]
    [InlineData(None, "ftp://localhost:4566", "http://fine:1", "AWS_ENDPOINT_URL_KINESIS")]
    [InlineData(None, None, "/var/run/kinesis", "AWS_ENDPOINT_URL")]
    [InlineData(None, None, "http://localhost:4566/?x=1", "AWS_ENDPOINT_URL")]
    [InlineData(None, None, "http://localhost:4566/#top", "AWS_ENDPOINT_URL")]
    [InlineData(None, None, "http://user:pass@localhost:4566/", "AWS_ENDPOINT_URL")]
    [InlineData(None, None, "kinesis.us-east-1.amazonaws.com", "AWS_ENDPOINT_URL")]
    [InlineData("ftp://localhost:4566", None, None, "Endpoint")]
    [InlineData("file:///tmp/x", None, None, "Endpoint")]
    public void A_malformed_endpoint_is_rejected_naming_its_source(string? explicitEndpoint, string? specific, string? global, string source)
    {
        var environment = Environment(("AWS_ENDPOINT_URL_KINESIS", specific), ("AWS_ENDPOINT_URL", global));

        var error = Assert.Throws<ArgumentException>(
            () => AwsEndpointResolver.Resolve("KINESIS", "kinesis", ExplicitUri(explicitEndpoint), "us-east-1", environment));

        Assert.Equal(source, error.ParamName);
        Assert.Contains(source, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_explicit_endpoint_is_rejected_under_the_given_option_name()
    {
        var error = Assert.Throws<ArgumentException>(() => AwsEndpointResolver.Resolve(
            "KINESIS", "kinesis", new Uri("/kinesis", UriKind.Relative), "us-east-1", Environment(), optionName: "KinesisEndpoint"));

        Assert.Equal("KinesisEndpoint", error.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("us east 1")]
    public void The_regional_endpoint_needs_a_usable_region(string region)
    {
        Assert.Throws<ArgumentException>(() => AwsEndpointResolver.Resolve("KINESIS", "kinesis", null, region, Environment()));
    }

    [Fact]
    public void A_blank_service_or_prefix_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => AwsEndpointResolver.Resolve(" ", "kinesis", null, "us-east-1", Environment()));
        Assert.Throws<ArgumentException>(() => AwsEndpointResolver.Resolve("KINESIS", "", null, "us-east-1", Environment()));
    }

    private static Uri? ExplicitUri(string? value) => string.IsNullOrEmpty(value) ? null : new Uri(value, UriKind.RelativeOrAbsolute);
}

/// <summary>Without an environment reader the process's own variables are used.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class AwsEndpointResolverProcessEnvironmentTests
{
    [Fact]
    public void The_process_environment_is_read_by_default()
    {
        using var environment = new EnvironmentScope(
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", null),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"),
            ("AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:4567"));

        Assert.Equal(new Uri("http://127.0.0.1:4567/"), AwsEndpointResolver.Resolve("KINESIS", "kinesis", null, "us-east-1"));
        Assert.Equal(new Uri("http://127.0.0.1:4566/"), AwsEndpointResolver.Resolve("CLOUDWATCH", "monitoring", null, "us-east-1"));
    }
}
