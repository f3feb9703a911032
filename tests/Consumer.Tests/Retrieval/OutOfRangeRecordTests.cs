using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Consumer.Tests.Retrieval.RetrievalEngine;

namespace Kinesis.Clients.Consumer.Tests.Retrieval;

/// <summary>An aggregate whose sub-records belong to two shards, put whole into one: every sub-record is delivered and the strays counted.</summary>
[Trait("Category", "Engine")]
public sealed class OutOfRangeRecordTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public OutOfRangeRecordTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Sub_records_hashing_to_another_shard_are_delivered_and_counted()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, shards: 2);
        var shards = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
        var (low, high) = (shards[0], shards[1]);

        // Explicit keys on both sides of the boundary, and partition keys wherever their MD5 lands.
        var boundary = high.HashKeyRange.StartingHashKey.Value;
        var subRecords = new (string PartitionKey, string? ExplicitHashKey)[]
        {
            ("low-1", "0"),
            ("high-1", new HashKey(boundary).ToString()),
            ("low-2", new HashKey(boundary - 1).ToString()),
            ("high-2", HashKey.MaxValue.ToString()),
            ("md5-a", null),
            ("md5-b", null),
            ("md5-c", null),
            ("md5-d", null),
        };
        using var builder = new AggregateBuilder();
        foreach (var (key, explicitHashKey) in subRecords)
        {
            Assert.True(builder.TryAdd(key, explicitHashKey, Encoding.UTF8.GetBytes(key)));
        }

        var put = await client.PutRecordAsync(new PutRecordRequest
        {
            StreamName = stream,
            PartitionKey = builder.KinesisPartitionKey,
            ExplicitHashKey = "0",
            Data = builder.ToKinesisData(),
        }).WaitAsync(Deadline);
        Assert.Equal(low.ShardId, put.ShardId);
        var strays = subRecords.Count(s => !low.Contains(HashKey.ForRecord(s.PartitionKey, s.ExplicitHashKey)));
        Assert.InRange(strays, 2, 6);

        await using var reader = Reader(client, stream, low, StartingPosition.TrimHorizon);
        var read = await ReadCountAsync(reader, subRecords.Length);

        Assert.Equal(subRecords.Select((s, i) => new Expected(put.SequenceNumber, i, s.PartitionKey)), read.Records);
        Assert.Equal(strays, read.Batches.Sum(b => b.OutOfRangeRecords));
        Assert.Equal(strays, reader.OutOfRangeRecords);
    }

    [Fact]
    public async Task Without_a_range_nothing_is_checked()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, shards: 2);
        var low = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).MinBy(s => s.HashKeyRange.StartingHashKey)!;
        using var builder = new AggregateBuilder();
        Assert.True(builder.TryAdd("a", "0", "in"u8));
        Assert.True(builder.TryAdd("b", HashKey.MaxValue.ToString(), "out"u8));
        await client.PutRecordAsync(new PutRecordRequest
        {
            StreamName = stream,
            PartitionKey = builder.KinesisPartitionKey,
            ExplicitHashKey = "0",
            Data = builder.ToKinesisData(),
        }).WaitAsync(Deadline);

        await using var reader = new PollingShardReader(client, stream, low.ShardId, hashKeyRange: null, StartingPosition.TrimHorizon);
        var read = await ReadCountAsync(reader, 2);

        Assert.Equal(["in", "out"], read.Records.Select(r => r.Data));
        Assert.Equal(0, reader.OutOfRangeRecords);
    }
}
