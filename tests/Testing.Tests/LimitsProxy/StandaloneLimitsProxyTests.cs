using System.Collections.Concurrent;
using System.Numerics;
using System.Text;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Wire;
using Microsoft.Extensions.Time.Testing;
using static Kinesis.Clients.Testing.EngineClients;
using static Kinesis.Clients.Testing.Tests.LimitsProxy.ProxyClients;

namespace Kinesis.Clients.Testing.Tests.LimitsProxy;

/// <summary>Standalone mode: declared streams answered without an engine, same limits, counters only.</summary>
public sealed class StandaloneLimitsProxyTests
{
    public static TheoryData<WireProtocol> Protocols => new() { WireProtocol.Cbor, WireProtocol.Json };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task ListShards_pages_through_evenly_split_shards(WireProtocol protocol)
    {
        await using var proxy = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("orders", 4).Add("other", 1)).WaitAsync(Deadline);
        using var client = Client(proxy, protocol);

        var first = await client.ListShardsAsync(new ListShardsRequest { StreamName = "orders", MaxResults = 3 }).WaitAsync(Deadline);
        Assert.Equal(3, first.Shards.Count);
        Assert.NotNull(first.NextToken);
        var second = await client.ListShardsAsync(new ListShardsRequest { NextToken = first.NextToken, MaxResults = 3 }).WaitAsync(Deadline);
        Assert.Null(second.NextToken);
        var shards = first.Shards.Concat(second.Shards).ToList();

        Assert.Equal(["shardId-000000000000", "shardId-000000000001", "shardId-000000000002", "shardId-000000000003"], shards.Select(s => s.ShardId));
        Assert.All(shards, s => Assert.True(s.IsOpen));
        Assert.Equal(HashKey.MinValue, shards[0].HashKeyRange.StartingHashKey);
        Assert.Equal(HashKey.MaxValue, shards[3].HashKeyRange.EndingHashKey);
        Assert.Equal(HashKey.Parse("85070591730234615865843651857942052864"), shards[1].HashKeyRange.StartingHashKey);
        for (var i = 1; i < 4; i++)
        {
            Assert.Equal(shards[i - 1].HashKeyRange.EndingHashKey.Value + 1, shards[i].HashKeyRange.StartingHashKey.Value);
        }

        var after = await client.ListShardsAsync(new ListShardsRequest { StreamName = "orders", ExclusiveStartShardId = "shardId-000000000001" })
            .WaitAsync(Deadline);
        Assert.Equal(["shardId-000000000002", "shardId-000000000003"], after.Shards.Select(s => s.ShardId));
        Assert.Single(await client.ListAllShardsAsync("other").WaitAsync(Deadline));

        var summary = await client.DescribeStreamSummaryAsync("orders").WaitAsync(Deadline);
        Assert.True(summary.IsActive);
        Assert.Equal(4, summary.OpenShardCount);
        Assert.Equal("arn:aws:kinesis:us-east-1:000000000000:stream/orders", summary.StreamArn);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task PutRecords_names_the_owning_shard_and_increasing_sequence_numbers(WireProtocol protocol)
    {
        var seen = new ConcurrentQueue<(string Stream, string Shard, string Key, string? Hash, byte[] Data, string Sequence)>();
        var options = new LimitsProxyOptions
        {
            OnAccepted = (stream, shard, key, hash, data, sequence) => seen.Enqueue((stream, shard, key, hash, data.ToArray(), sequence)),
        };
        await using var proxy = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("orders", 4), options).WaitAsync(Deadline);
        using var client = Client(proxy, protocol);
        var shards = await client.ListAllShardsAsync("orders").WaitAsync(Deadline);

        var batch = Batch(200, "k");
        batch.Add(new PutRecordsEntry("explicit", "e"u8.ToArray(), HashKey.MaxValue.ToString()));
        var reply = await client.PutRecordsAsync("orders", batch).WaitAsync(Deadline);
        var single = await client.PutRecordAsync(new PutRecordRequest { StreamName = "orders", PartitionKey = "k-0", Data = "again"u8.ToArray() })
            .WaitAsync(Deadline);

        Assert.Equal(0, reply.FailedRecordCount);
        for (var i = 0; i < batch.Count; i++)
        {
            var owner = shards.Single(s => s.Contains(HashKey.ForRecord(batch[i].PartitionKey, batch[i].ExplicitHashKey)));
            Assert.Equal(owner.ShardId, reply.Records[i].ShardId);
        }

        Assert.Equal("shardId-000000000003", reply.Records[^1].ShardId);
        Assert.Equal(reply.Records[0].ShardId, single.ShardId);
        foreach (var group in reply.Records.GroupBy(r => r.ShardId))
        {
            var numbers = group.Select(r => BigInteger.Parse(r.SequenceNumber!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(numbers.Order(), numbers);
            Assert.Equal(numbers.Count, numbers.Distinct().Count());
        }

        Assert.True(BigInteger.Parse(single.SequenceNumber, System.Globalization.CultureInfo.InvariantCulture) >
            BigInteger.Parse(reply.Records[0].SequenceNumber!, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(202, seen.Count);
        var bySequence = seen.ToDictionary(s => s.Sequence);
        for (var i = 0; i < batch.Count; i++)
        {
            var accepted = bySequence[reply.Records[i].SequenceNumber!];
            Assert.Equal(("orders", reply.Records[i].ShardId, batch[i].PartitionKey, batch[i].ExplicitHashKey), (accepted.Stream, accepted.Shard, accepted.Key, accepted.Hash));
            Assert.Equal(batch[i].Data.ToArray(), accepted.Data);
        }

        Assert.Equal("again", Encoding.UTF8.GetString(bySequence[single.SequenceNumber].Data));
        Assert.Equal(202, proxy.Stats.AcceptedRecords);
        Assert.Equal(seen.Sum(s => s.Data.Length), proxy.Stats.AcceptedDataBytes);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Limits_apply_per_shard_as_in_proxy_mode(WireProtocol protocol)
    {
        var time = new FakeTimeProvider();
        await using var proxy = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("s", 2), new LimitsProxyOptions { TimeProvider = time })
            .WaitAsync(Deadline);
        using var client = Client(proxy, protocol);
        var high = HashKey.MaxValue.ToString();

        var replies = await Task.WhenAll(Enumerable.Range(0, 3).Select(b => client.PutRecordsAsync("s", Batch(500, $"low{b}", _ => "0")))).WaitAsync(Deadline);
        var results = replies.SelectMany(r => r.Records).ToList();
        Assert.Equal(1000, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal("ProvisionedThroughputExceededException", r.ErrorCode));
        Assert.Equal(0, (await client.PutRecordsAsync("s", Batch(500, "high", _ => high)).WaitAsync(Deadline)).FailedRecordCount);

        var big = new byte[700 * 1024];
        var error = await Assert.ThrowsAsync<AwsServiceException>(async () =>
        {
            await client.PutRecordAsync(new PutRecordRequest { StreamName = "s", PartitionKey = "a", ExplicitHashKey = high, Data = big });
            await client.PutRecordAsync(new PutRecordRequest { StreamName = "s", PartitionKey = "b", ExplicitHashKey = high, Data = big });
        }).WaitAsync(Deadline);
        Assert.Equal("ProvisionedThroughputExceededException", error.ErrorCode);
        Assert.True(error.IsThrottling);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await client.PutRecordsAsync("s", Batch(500, "later", _ => "0")).WaitAsync(Deadline)).FailedRecordCount);
        var stats = proxy.Stats;
        Assert.Equal(1500, stats.Shard("s", "shardId-000000000000").AcceptedRecords);
        Assert.Equal(501, stats.Shard("s", "shardId-000000000001").AcceptedRecords);
        Assert.Equal(500, stats.ThrottledPutRecordsEntries);
        Assert.Equal(1, stats.ThrottledPutRecordRequests);
    }

    [Fact]
    public async Task Without_limits_it_is_a_plain_sink_and_refuses_what_it_does_not_serve()
    {
        var options = new LimitsProxyOptions { EnforceLimits = false };
        await using var proxy = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("sink", 1), options).WaitAsync(Deadline);
        using var client = Client(proxy, WireProtocol.Cbor);

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(b => client.PutRecordsAsync("sink", Batch(500, $"b{b}")))).WaitAsync(Deadline);
        Assert.All(replies, r => Assert.Equal(0, r.FailedRecordCount));
        Assert.Equal(5000, proxy.Stats.AcceptedRecords);

        proxy.Faults.EntryFailureRate = 1;
        Assert.Equal(3, (await client.PutRecordsAsync("sink", Batch(3, "f")).WaitAsync(Deadline)).FailedRecordCount);
        proxy.Faults.Clear();

        var unknown = await Assert.ThrowsAsync<AwsServiceException>(() => client.CreateStreamAsync("new", 1)).WaitAsync(Deadline);
        Assert.Equal("UnknownOperationException", unknown.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unknown.StatusCode);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => client.PutRecordsAsync("missing", Batch(1, "m"))).WaitAsync(Deadline);

        proxy.ResetStats();
        Assert.Equal(0, proxy.Stats.AcceptedRecords);
        Assert.Equal(0, proxy.Stats.Requests);
    }
}
