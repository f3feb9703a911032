using System.Net;
using System.Text;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Wire;
using Microsoft.Extensions.Time.Testing;
using static Kinesis.Clients.Testing.EngineClients;
using static Kinesis.Clients.Testing.Tests.LimitsProxy.ProxyClients;

namespace Kinesis.Clients.Testing.Tests.LimitsProxy;

/// <summary>The proxy in front of kinesis-mock: forwarding and the per-shard write limits.</summary>
[Trait("Category", "Engine")]
public sealed class LimitsProxyWriteTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private const string Throttled = "ProvisionedThroughputExceededException";

    private LocalAws Aws => fixture.Aws;

    public static TheoryData<WireProtocol> Protocols => new() { WireProtocol.Cbor, WireProtocol.Json };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Requests_pass_through_to_the_engine_and_back(WireProtocol protocol)
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        await using var stream = await NewStreamAsync(client, 2, "proxy-pass");

        var one = await client.PutRecordAsync(new PutRecordRequest { StreamName = stream, PartitionKey = "single", Data = "one"u8.ToArray() })
            .WaitAsync(Deadline);
        var batch = await client.PutRecordsAsync(stream, Batch(20, "batch")).WaitAsync(Deadline);
        Assert.Equal(0, batch.FailedRecordCount);

        var shards = await client.ListAllShardsAsync(stream).WaitAsync(Deadline);
        var read = new List<KinesisRecord>();
        foreach (var shard in shards)
        {
            read.AddRange(await ReadShardAsync(client, stream, shard.ShardId, expectedAtLeast: 1));
        }

        Assert.Equal(21, read.Count);
        Assert.Contains(read, r => r.SequenceNumber == one.SequenceNumber && r.Data.ToArray().SequenceEqual("one"u8.ToArray()));
        Assert.Equal(
            Enumerable.Range(0, 20).Select(i => $"batch-{i}").Order(),
            read.Where(r => r.PartitionKey.StartsWith("batch-", StringComparison.Ordinal)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).Order());

        var stats = proxy.Stats;
        Assert.Equal(21, stats.AcceptedRecords);
        Assert.Equal(1, stats.RequestsFor("PutRecord"));
        Assert.Equal(1, stats.RequestsFor("PutRecords"));
        Assert.Equal(0, stats.ThrottledPutRecordsEntries);

        var missing = await Assert.ThrowsAsync<ResourceNotFoundException>(() => client.DescribeStreamSummaryAsync(LocalAws.UniqueName("missing")))
            .WaitAsync(Deadline);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task A_shard_takes_a_thousand_records_a_second_and_refuses_the_rest_per_entry(WireProtocol protocol)
    {
        var time = new FakeTimeProvider();
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint, new LimitsProxyOptions { TimeProvider = time }).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        using var direct = Client(Aws, protocol);
        await using var stream = await NewStreamAsync(client, 1, "proxy-write");
        var shardId = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).Single().ShardId;

        var records = Batch(3000, "r");
        var batches = records.Chunk(500).ToList();
        var replies = await Task.WhenAll(batches.Select(b => client.PutRecordsAsync(stream, b))).WaitAsync(Deadline);

        var results = replies.SelectMany(r => r.Records).ToList();
        Assert.Equal(1000, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r =>
        {
            Assert.Equal(Throttled, r.ErrorCode);
            Assert.Equal($"Rate exceeded for shard {shardId} in stream {stream} under account 000000000000.", r.ErrorMessage);
        });
        Assert.All(replies, r => Assert.Equal(r.Records.Count(e => !e.Succeeded), r.FailedRecordCount));
        var stats = proxy.Stats;
        Assert.Equal(2000, stats.ThrottledPutRecordsEntries);
        Assert.Equal(6, stats.PutRecordsRequests);
        Assert.True(stats.ThrottledPutRecordsRequestShare >= 4.0 / 6, $"share {stats.ThrottledPutRecordsRequestShare}");

        // One second later the bucket holds another thousand.
        time.Advance(TimeSpan.FromSeconds(1));
        var refused = records.Where((_, i) => !results[i].Succeeded).ToList();
        var retry = await Task.WhenAll(refused.Chunk(500).Select(b => client.PutRecordsAsync(stream, b))).WaitAsync(Deadline);
        var retried = retry.SelectMany(r => r.Records).ToList();
        Assert.Equal(1000, retried.Count(r => r.Succeeded));

        var accepted = results.Select((r, i) => (r, records[i])).Where(p => p.r.Succeeded).Select(p => p.Item2.PartitionKey)
            .Concat(retried.Select((r, i) => (r, refused[i])).Where(p => p.r.Succeeded).Select(p => p.Item2.PartitionKey))
            .Order(StringComparer.Ordinal)
            .ToList();
        var stored = await ReadShardAsync(direct, stream, shardId, expectedAtLeast: 2000);
        Assert.Equal(accepted, stored.Select(r => r.PartitionKey).Order(StringComparer.Ordinal));
        Assert.Equal(2000, proxy.Stats.Shard(stream, shardId).AcceptedRecords);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task A_shard_takes_a_mebibyte_a_second(WireProtocol protocol)
    {
        var time = new FakeTimeProvider();
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint, new LimitsProxyOptions { TimeProvider = time }).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        await using var stream = await NewStreamAsync(client, 1, "proxy-bytes");
        var big = new byte[600 * 1024];
        Random.Shared.NextBytes(big);

        var reply = await client.PutRecordsAsync(stream, [new("first", big), new("second", big)]).WaitAsync(Deadline);
        Assert.True(reply.Records[0].Succeeded);
        Assert.Equal(Throttled, reply.Records[1].ErrorCode);
        Assert.Equal(1, reply.FailedRecordCount);

        time.Advance(TimeSpan.FromSeconds(1));
        var again = await client.PutRecordsAsync(stream, [new("second", big)]).WaitAsync(Deadline);
        Assert.True(again.Records[0].Succeeded);
        var traffic = Assert.Single(proxy.Stats.Shards, s => s.StreamName == stream);
        Assert.Equal(2 * (big.Length + "second".Length) - 1, traffic.AcceptedBytes);
        Assert.Equal(2 * big.Length, traffic.AcceptedDataBytes);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task PutRecord_over_the_limit_is_a_400_throttling_error(WireProtocol protocol)
    {
        var time = new FakeTimeProvider();
        var options = new LimitsProxyOptions { TimeProvider = time, WriteRecordsPerSecond = 3 };
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint, options).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        await using var stream = await NewStreamAsync(client, 1, "proxy-single");
        var request = new PutRecordRequest { StreamName = stream, PartitionKey = "k", Data = "x"u8.ToArray() };

        for (var i = 0; i < 3; i++)
        {
            await client.PutRecordAsync(request).WaitAsync(Deadline);
        }

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutRecordAsync(request)).WaitAsync(Deadline);
        Assert.Equal(Throttled, error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.True(error.IsThrottling);
        Assert.True(error.IsRetryable);
        Assert.Equal(1, proxy.Stats.ThrottledPutRecordRequests);

        time.Advance(TimeSpan.FromSeconds(1));
        await client.PutRecordAsync(request).WaitAsync(Deadline);
        Assert.Equal(4, proxy.Stats.AcceptedRecords);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Each_shard_has_its_own_limit(WireProtocol protocol)
    {
        var options = new LimitsProxyOptions { TimeProvider = new FakeTimeProvider(), WriteRecordsPerSecond = 10 };
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint, options).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        await using var stream = await NewStreamAsync(client, 2, "proxy-route");
        var shards = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
        var low = shards[0].HashKeyRange.StartingHashKey.ToString();
        var high = shards[1].HashKeyRange.EndingHashKey.ToString();

        // 15 for the low shard, then 5 for the high one: the low shard's overflow leaves the high one alone.
        var reply = await client.PutRecordsAsync(stream, Batch(20, "mixed", i => i < 15 ? low : high)).WaitAsync(Deadline);
        Assert.Equal(10, reply.Records.Take(15).Count(r => r.Succeeded));
        Assert.All(reply.Records.Take(15).Where(r => r.Succeeded), r => Assert.Equal(shards[0].ShardId, r.ShardId));
        Assert.All(reply.Records.Skip(15), r => Assert.Equal(shards[1].ShardId, r.ShardId));

        var more = await client.PutRecordsAsync(stream, Batch(10, "high", _ => high)).WaitAsync(Deadline);
        Assert.Equal(5, more.Records.Count(r => r.Succeeded));
        var stats = proxy.Stats;
        Assert.Equal(10, stats.Shard(stream, shards[0].ShardId).AcceptedRecords);
        Assert.Equal(5, stats.Shard(stream, shards[0].ShardId).ThrottledWrites);
        Assert.Equal(10, stats.Shard(stream, shards[1].ShardId).AcceptedRecords);
        Assert.Equal(5, stats.Shard(stream, shards[1].ShardId).ThrottledWrites);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task After_a_split_records_count_against_the_children(WireProtocol protocol)
    {
        var options = new LimitsProxyOptions { TimeProvider = new FakeTimeProvider(), WriteRecordsPerSecond = 10 };
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint, options).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        await using var stream = await NewStreamAsync(client, 1, "proxy-split", peakShards: 2);
        var parent = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).Single();
        var filled = await client.PutRecordsAsync(stream, Batch(10, "parent")).WaitAsync(Deadline);
        Assert.Equal(0, filled.FailedRecordCount);

        var middle = new HashKey(UInt128.MaxValue / 2);
        await client.SplitShardAsync(stream, parent.ShardId, middle).WaitAsync(Deadline);
        await client.WaitForStreamActiveAsync(stream, Deadline).WaitAsync(Deadline);
        var children = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline))
            .Where(s => s.ParentShardId == parent.ShardId).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
        Assert.Equal(2, children.Count);

        // The parent's bucket is empty; the children's are full, ten records each.
        var reply = await client.PutRecordsAsync(stream, Batch(22, "child", i => i % 2 == 0 ? "0" : HashKey.MaxValue.ToString()))
            .WaitAsync(Deadline);
        Assert.Equal(20, reply.Records.Count(r => r.Succeeded));
        Assert.Equal(10, reply.Records.Count(r => r.ShardId == children[0].ShardId));
        Assert.Equal(10, reply.Records.Count(r => r.ShardId == children[1].ShardId));
        Assert.Equal(10, proxy.Stats.Shard(stream, children[0].ShardId).AcceptedRecords);
        Assert.Equal(1, proxy.Stats.Shard(stream, children[1].ShardId).ThrottledWrites);
    }
}
