using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>The KCL's stream identifiers and multi-stream lease keys: read, written and refused.</summary>
public sealed class StreamIdentifierTests
{
    [Theory]
    [InlineData("123456789012:orders:1700000000", "123456789012", "orders", 1700000000L)]
    [InlineData("1:a:1", "1", "a", 1L)]
    [InlineData("000000000042:clicks-v2.eu_x:9223372036854775807", "000000000042", "clicks-v2.eu_x", long.MaxValue)]
    public void A_serialized_identifier_reads_back_to_its_parts_and_text(string text, string account, string stream, long epoch)
    {
        var identifier = StreamIdentifier.Parse(text);

        Assert.Equal(account, identifier.AccountId);
        Assert.Equal(stream, identifier.StreamName);
        Assert.Equal(epoch, identifier.CreationEpoch);
        Assert.True(identifier.IsMultiStream);
        Assert.Equal(text, identifier.Serialize());
        Assert.Equal(identifier, StreamIdentifier.MultiStream(account, stream, epoch));
    }

    [Theory]
    [InlineData("", "three parts")]
    [InlineData("orders", "three parts")]
    [InlineData("123:orders", "three parts")]
    [InlineData("123:orders:17:shardId-000000000000", "three parts")]
    [InlineData("acct:orders:1700000000", "account id")]
    [InlineData(":orders:1700000000", "account id")]
    [InlineData("123::1700000000", "stream name")]
    [InlineData("123:ord ers:1700000000", "stream name")]
    [InlineData("123:orders:0", "creation epoch")]
    [InlineData("123:orders:-5", "creation epoch")]
    [InlineData("123:orders:1.5", "creation epoch")]
    [InlineData("123:orders:99999999999999999999", "creation epoch")]
    public void A_bad_identifier_is_refused_saying_which_part(string text, string part)
    {
        var error = Assert.Throws<FormatException>(() => StreamIdentifier.Parse(text));

        Assert.Contains(part, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.False(StreamIdentifier.TryParse(text, out _));
    }

    [Fact]
    public void A_single_stream_identifier_is_its_name_and_has_no_account_or_epoch()
    {
        var identifier = StreamIdentifier.SingleStream("orders");

        Assert.Equal("orders", identifier.Serialize());
        Assert.Null(identifier.AccountId);
        Assert.Null(identifier.CreationEpoch);
        Assert.False(identifier.IsMultiStream);
        Assert.Throws<ArgumentException>(() => MultiStreamLeaseKey.Format(identifier, "shardId-000000000000"));
    }

    [Theory]
    [InlineData("x1", "orders", 1L, "accountId")]
    [InlineData("123", "", 1L, "streamName")]
    [InlineData("123", "a/b", 1L, "streamName")]
    [InlineData("123", "orders", 0L, "creationEpoch")]
    public void Building_a_bad_identifier_names_the_argument(string account, string stream, long epoch, string argument)
    {
        var error = Assert.Throws<ArgumentException>(() => StreamIdentifier.MultiStream(account, stream, epoch));

        Assert.Equal(argument, error.ParamName);
    }

    [Theory]
    [InlineData("123456789012:orders:1700000000:shardId-000000000007", "123456789012:orders:1700000000", "shardId-000000000007")]
    [InlineData("1:a:1:s", "1:a:1", "s")]
    public void A_multi_stream_lease_key_splits_into_stream_and_shard_and_formats_back(string key, string stream, string shard)
    {
        Assert.True(MultiStreamLeaseKey.TryParse(key, out var identifier, out var shardId));

        Assert.Equal(stream, identifier.Serialize());
        Assert.Equal(shard, shardId);
        Assert.Equal(key, MultiStreamLeaseKey.Format(identifier, shardId));
    }

    [Theory]
    [InlineData("shardId-000000000007")]
    [InlineData("123456789012:orders:1700000000")]
    [InlineData("123456789012:orders:1700000000:")]
    [InlineData("123456789012:orders:0:shardId-000000000007")]
    [InlineData("x:orders:1700000000:shardId-000000000007")]
    [InlineData(":shardId-000000000007")]
    [InlineData("")]
    public void A_key_that_is_not_a_multi_stream_lease_key_does_not_split(string key)
    {
        Assert.False(MultiStreamLeaseKey.TryParse(key, out var stream, out var shard));
        Assert.Null(stream);
        Assert.Null(shard);
    }

    [Theory]
    [InlineData("arn:aws:kinesis:us-east-1:123456789012:stream/orders", "aws", "us-east-1", "123456789012", "orders")]
    [InlineData("arn:aws-cn:kinesis:cn-north-1:000000000001:stream/a.b_c-d", "aws-cn", "cn-north-1", "000000000001", "a.b_c-d")]
    [InlineData("arn:aws-us-gov:kinesis:us-gov-west-1:123456789012:stream/x", "aws-us-gov", "us-gov-west-1", "123456789012", "x")]
    public void A_stream_arn_reads_to_its_parts(string text, string partition, string region, string account, string name)
    {
        Assert.True(StreamArn.TryParse(text, out var arn));

        Assert.Equal(new StreamArn(partition, region, account, name), arn);
        Assert.Equal(text, arn.ToString());
    }

    [Theory]
    [InlineData("arn:aws:kinesis:us-east-1:12345678901:stream/orders")]
    [InlineData("arn:aws:kinesis:us-east-1:123456789012:stream/")]
    [InlineData("arn:aws:kinesis:us-east-1:123456789012:stream/a/b")]
    [InlineData("arn:aws:kinesis::123456789012:stream/orders")]
    [InlineData("arn:aws:sqs:us-east-1:123456789012:stream/orders")]
    [InlineData("arn:aws:kinesis:us-east-1:123456789012:stream/orders/consumer/c:1")]
    [InlineData("orders")]
    public void A_text_that_is_not_a_stream_arn_is_refused(string text) =>
        Assert.False(StreamArn.TryParse(text, out _));
}
