using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>Multi-stream lease rows as the KCL's DynamoDBMultiStreamLeaseSerializer writes them, read and written back.</summary>
public sealed class MultiStreamLeaseSerializerTests
{
    public static TheoryData<int> FixtureRows => [0, 1, 2];

    [Theory]
    [MemberData(nameof(FixtureRows))]
    public void A_KCL_multi_stream_row_reads_and_writes_back_attribute_for_attribute(int row)
    {
        var item = Row(row);

        var lease = LeaseSerializer.FromItem(item);

        Assert.Equal(KclTableFixture.Canonical(item), KclTableFixture.Canonical(LeaseSerializer.ToItem(lease)));
        Assert.True(MultiStreamLeaseKey.TryParse(lease.LeaseKey, out var stream, out var shard));
        Assert.Equal(stream.Serialize(), lease.StreamIdentifier);
        Assert.Equal(shard, lease.ShardId);
        Assert.Equal(shard, lease.ShardIdOrKey);
        Assert.True(lease.IsMultiStream);
    }

    [Fact]
    public void The_fixture_rows_read_as_the_KCL_meant_them()
    {
        var finished = LeaseSerializer.FromItem(Row(0));
        var child = LeaseSerializer.FromItem(Row(1));

        Assert.True(finished.IsFinished);
        Assert.Equal(["shardId-000000000001", "shardId-000000000002"], finished.ChildShardIds.Order(StringComparer.Ordinal));
        // Parents are plain shard ids, not lease keys: the KCL prefixes them with the stream when it looks them up.
        Assert.Equal(["shardId-000000000000"], child.ParentShardIds);
        Assert.Equal(new ExtendedSequenceNumber("49590338271490256608559692538361571095921575989136588898", 3), child.Checkpoint);
        Assert.Equal("java-worker-2", child.LeaseOwner);
        Assert.Equal(64, child.LeaseCounter);
    }

    [Fact]
    public void A_new_multi_stream_lease_is_written_with_the_KCL_key_and_both_attributes_as_strings()
    {
        var stream = StreamIdentifier.MultiStream("123456789012", "orders", 1700000000);

        var item = LeaseSerializer.ToItem(MultiStreamLeaseKey.ForNewShard(stream, "shardId-000000000003", ExtendedSequenceNumber.TrimHorizon, ["shardId-000000000001"]));

        Assert.Equal("123456789012:orders:1700000000:shardId-000000000003", item["leaseKey"].S);
        Assert.Equal("123456789012:orders:1700000000", item["streamName"].S);
        Assert.Equal("shardId-000000000003", item["shardId"].S);
        Assert.Equal(["shardId-000000000001"], item["parentShardId"].SS);
    }

    [Fact]
    public void A_single_stream_lease_has_neither_attribute()
    {
        var item = LeaseSerializer.ToItem(Lease.ForNewShard("shardId-000000000003", ExtendedSequenceNumber.TrimHorizon));

        Assert.False(item.ContainsKey("streamName"));
        Assert.False(item.ContainsKey("shardId"));
        Assert.False(LeaseSerializer.FromItem(item).IsMultiStream);
    }

    [Theory]
    [InlineData("streamName", null, "both")]
    [InlineData("shardId", null, "both")]
    [InlineData("streamName", "orders", "account:stream:creationEpoch")]
    [InlineData("streamName", "123456789012:orders:0", "account:stream:creationEpoch")]
    public void A_multi_stream_row_with_a_missing_or_bad_stream_is_refused_naming_the_row(string attribute, string? value, string expected)
    {
        var item = Row(1);
        if (value is null)
        {
            item.Remove(attribute);
        }
        else
        {
            item[attribute] = new AttributeValue { S = value };
        }

        var error = Assert.Throws<InvalidDataException>(() => LeaseSerializer.FromItem(item));

        Assert.Contains("123456789012:orders:1700000000:shardId-000000000001", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, AttributeValue> Row(int index)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "kcl-2.x-multistream.json")));
        return KclTableFixture.ItemOf(json.RootElement.GetProperty("leaseTable")[index]);
    }
}
