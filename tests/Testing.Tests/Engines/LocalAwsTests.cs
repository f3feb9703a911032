using System.Text.RegularExpressions;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Testing.Tests.Engines;

public sealed partial class LocalAwsTests
{
    [GeneratedRegex("^[a-zA-Z0-9_.-]{3,128}$")]
    private static partial Regex ValidName();

    [Theory]
    [InlineData("s")]
    [InlineData("orders")]
    [InlineData("lease_table.v2-x")]
    public void UniqueName_is_a_valid_stream_and_table_name_starting_with_the_prefix(string prefix)
    {
        var name = LocalAws.UniqueName(prefix);

        Assert.Matches(ValidName(), name);
        Assert.StartsWith(prefix + "-", name, StringComparison.Ordinal);
    }

    [Fact]
    public void UniqueName_gives_distinct_names()
    {
        var names = Enumerable.Range(0, 10_000).Select(_ => LocalAws.UniqueName("p")).ToHashSet();

        Assert.Equal(10_000, names.Count);
    }

    [Fact]
    public void UniqueName_cuts_a_long_prefix_to_fit_128_characters()
    {
        var name = LocalAws.UniqueName(new string('a', 300));

        Assert.Equal(128, name.Length);
        Assert.Matches(ValidName(), name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/no")]
    [InlineData("ünïcode")]
    public void UniqueName_rejects_a_prefix_that_cannot_be_a_name(string prefix)
    {
        Assert.ThrowsAny<ArgumentException>(() => LocalAws.UniqueName(prefix));
    }

    [Fact]
    public void An_external_endpoint_serves_every_service()
    {
        var aws = LocalAws.External("http://localhost:4566");

        Assert.True(aws.IsExternal);
        Assert.Equal(new Uri("http://localhost:4566"), aws.KinesisEndpoint);
        Assert.Equal(aws.KinesisEndpoint, aws.DynamoDbEndpoint);
        Assert.False(string.IsNullOrEmpty(aws.Region));
        Assert.NotNull(aws.Credentials);
    }

    [Theory]
    [InlineData("localhost:4566")]
    [InlineData("ftp://localhost:4566")]
    [InlineData("not a url")]
    public void A_malformed_external_endpoint_is_reported_by_name(string configured)
    {
        var error = Assert.Throws<InvalidOperationException>(() => LocalAws.External(configured));

        Assert.Contains(LocalAws.EndpointVariable, error.Message, StringComparison.Ordinal);
    }
}
