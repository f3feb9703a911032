using Kinesis.Clients.Firehose;
using Kinesis.Clients.Tests.Auth;

namespace Kinesis.Clients.Tests.Firehose;

/// <summary>Bad arguments are refused before anything is sent, with a message naming the limit; endpoints resolve like the SDKs'.</summary>
[Collection(ProcessEnvironment.Name)]
public sealed class FirehoseClientValidationTests
{
    // Nothing listens here: a request that got out would fail with a transport error, not an ArgumentException.
    private static readonly Uri Nowhere = new("http://127.0.0.1:9/");

    [Fact]
    public async Task More_than_500_records_are_refused()
    {
        using var client = FirehoseClients.For(Nowhere);
        var records = Enumerable.Repeat((ReadOnlyMemory<byte>)new byte[1], 501).ToList();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.PutRecordBatchAsync("logs", records));

        Assert.Equal("records", ex.ParamName);
        Assert.Contains("1 to 500 records; got 501", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_records_are_refused()
    {
        using var client = FirehoseClients.For(Nowhere);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.PutRecordBatchAsync("logs", []));

        Assert.Contains("got 0", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_over_1000_KiB_is_refused_naming_its_index()
    {
        using var client = FirehoseClients.For(Nowhere);
        ReadOnlyMemory<byte>[] records = [new byte[10], new byte[FirehoseLimits.MaxRecordBytes + 1]];

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.PutRecordBatchAsync("logs", records));

        Assert.Equal("records[1]", ex.ParamName);
        Assert.Contains("1024000", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => client.PutRecordAsync("logs", new byte[FirehoseLimits.MaxRecordBytes + 1]));
    }

    [Fact]
    public async Task A_batch_over_4_MiB_is_refused_though_each_record_fits()
    {
        using var client = FirehoseClients.For(Nowhere);
        var records = Enumerable.Range(0, 5).Select(_ => (ReadOnlyMemory<byte>)new byte[900 * 1024]).ToList();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.PutRecordBatchAsync("logs", records));

        Assert.Contains("4 MiB", ex.Message, StringComparison.Ordinal);
        Assert.Contains("4608000", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    [InlineData("a-name-that-is-far-too-long-for-a-delivery-stream-0123456789abcdef")]
    public async Task Bad_delivery_stream_names_are_refused(string name)
    {
        using var client = FirehoseClients.For(Nowhere);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.DescribeDeliveryStreamAsync(name));

        Assert.Equal("deliveryStreamName", ex.ParamName);
    }

    [Fact]
    public void The_endpoint_is_explicit_then_the_firehose_variable_then_the_global_one_then_regional()
    {
        using var env = new EnvironmentScope(
            ("AWS_ENDPOINT_URL_FIREHOSE", null), ("AWS_ENDPOINT_URL", null), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", null));
        using (var regional = FirehoseClients.For(null, region: "eu-west-1"))
        {
            Assert.Equal(new Uri("https://firehose.eu-west-1.amazonaws.com/"), regional.Endpoint);
        }

        env.Set("AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
        using (var global = FirehoseClients.For(null))
        {
            Assert.Equal(new Uri("http://127.0.0.1:4566"), global.Endpoint);
        }

        env.Set("AWS_ENDPOINT_URL_FIREHOSE", "http://127.0.0.1:4577");
        using (var service = FirehoseClients.For(null))
        {
            Assert.Equal(new Uri("http://127.0.0.1:4577"), service.Endpoint);
        }

        using var explicitOne = FirehoseClients.For(new Uri("http://127.0.0.1:4588/"));
        Assert.Equal(new Uri("http://127.0.0.1:4588/"), explicitOne.Endpoint);
    }

    [Fact]
    public void Invalid_options_are_refused_naming_the_option()
    {
        var ex = Assert.Throws<ArgumentException>(() => new FirehoseClient(new FirehoseClientOptions { Region = "us-east-1", MaxConnections = 0 }));

        Assert.Equal("MaxConnections", ex.ParamName);
    }
}
