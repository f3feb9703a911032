using System.Security.Cryptography;
using System.Text;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Wire;
using static Kinesis.Clients.Testing.EngineClients;

namespace Kinesis.Clients.Tests.Kinesis;

/// <summary>Every operation against kinesis-mock, in both encodings.</summary>
[Trait("Category", "Engine")]
public sealed class KinesisClientEngineTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public KinesisClientEngineTests(LocalAwsFixture fixture)
    {
        _aws = fixture.Aws;
    }

    public static TheoryData<WireProtocol> Protocols => new() { WireProtocol.Cbor, WireProtocol.Json };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Stream_lifecycle_create_describe_list_retain_delete(WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);
        await using var stream = await NewStreamAsync(client, 2);

        var summary = await client.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline);
        Assert.Equal(stream, summary.StreamName);
        Assert.True(summary.IsActive);
        Assert.Equal(2, summary.OpenShardCount);
        Assert.Equal(24, summary.RetentionPeriodHours);
        Assert.StartsWith("arn:aws:kinesis:", summary.StreamArn, StringComparison.Ordinal);
        Assert.NotNull(summary.StreamCreationTimestamp);
        Assert.InRange(summary.StreamCreationTimestamp!.Value, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));

        var names = new List<string>();
        ListStreamsResponse page;
        string? next = null;
        do
        {
            page = await client.ListStreamsAsync(limit: 100, nextToken: next).WaitAsync(Deadline);
            names.AddRange(page.StreamNames);
            next = page.NextToken;
        }
        while (page.HasMoreStreams && next is not null);
        Assert.Contains(stream, names);

        await client.IncreaseStreamRetentionPeriodAsync(stream, 48).WaitAsync(Deadline);
        await WaitUntilAsync(async () => (await client.DescribeStreamSummaryAsync(stream)).RetentionPeriodHours == 48);

        await client.DeleteStreamAsync(stream).WaitAsync(Deadline);
        await WaitUntilAsync(async () =>
        {
            try
            {
                await client.DescribeStreamSummaryAsync(stream);
                return false;
            }
            catch (ResourceNotFoundException)
            {
                return true;
            }
        });
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Records_put_singly_and_in_batches_read_back_byte_for_byte(WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);
        await using var stream = await NewStreamAsync(client, 3);

        var sent = new List<(string Key, byte[] Data, string ShardId, string Sequence)>();
        var single = RandomNumberGenerator.GetBytes(1000);
        var one = await client.PutRecordAsync(new PutRecordRequest { StreamName = stream, PartitionKey = "single", Data = single })
            .WaitAsync(Deadline);
        sent.Add(("single", single, one.ShardId, one.SequenceNumber));

        // Every byte value, an empty-ish payload, unicode keys and a 100 KB blob.
        var batch = new List<PutRecordsEntry>
        {
            new("all-bytes", Enumerable.Range(0, 256).Select(i => (byte)i).ToArray()),
            new("ключ-🔑", Encoding.UTF8.GetBytes("unicode key")),
            new("big", RandomNumberGenerator.GetBytes(100_000)),
        };
        for (var i = 0; i < 200; i++)
        {
            batch.Add(new PutRecordsEntry($"key-{i % 37}", Encoding.UTF8.GetBytes($"record {i}")));
        }

        var result = await client.PutRecordsAsync(stream, batch).WaitAsync(Deadline);
        Assert.Equal(0, result.FailedRecordCount);
        Assert.Equal(batch.Count, result.Records.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            Assert.True(result.Records[i].Succeeded);
            sent.Add((batch[i].PartitionKey, batch[i].Data.ToArray(), result.Records[i].ShardId!, result.Records[i].SequenceNumber!));
        }

        var shards = await client.ListAllShardsAsync(stream).WaitAsync(Deadline);
        Assert.Equal(3, shards.Count);
        var read = new Dictionary<string, (string ShardId, KinesisRecord Record)>();
        foreach (var shard in shards)
        {
            foreach (var record in await ReadShardAsync(client, stream, shard.ShardId))
            {
                read.Add(record.SequenceNumber, (shard.ShardId, record));
                Assert.True(shard.Contains(HashKey.FromPartitionKey(record.PartitionKey)), "record is on a shard whose range holds its hash key");
            }
        }

        Assert.Equal(sent.Count, read.Count);
        foreach (var (key, data, shardId, sequence) in sent)
        {
            var (readShard, record) = read[sequence];
            Assert.Equal(shardId, readShard);
            Assert.Equal(key, record.PartitionKey);
            Assert.Equal(data, record.Data.ToArray());
            Assert.NotNull(record.ApproximateArrivalTimestamp);
            Assert.InRange(record.ApproximateArrivalTimestamp!.Value, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        }
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Explicit_hash_key_routes_a_record_to_the_shard_owning_it(WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);
        await using var stream = await NewStreamAsync(client, 4);
        var shards = await client.ListAllShardsAsync(stream).WaitAsync(Deadline);
        var last = shards.OrderBy(s => s.HashKeyRange.StartingHashKey).Last();

        var put = await client.PutRecordAsync(new PutRecordRequest
        {
            StreamName = stream,
            PartitionKey = "any",
            Data = "x"u8.ToArray(),
            ExplicitHashKey = HashKey.MaxValue.ToString(),
        }).WaitAsync(Deadline);

        Assert.Equal(last.ShardId, put.ShardId);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Shard_iterator_positions_start_where_they_say(WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);
        await using var stream = await NewStreamAsync(client, 1);
        var shardId = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).Single().ShardId;
        var put = await client.PutRecordsAsync(stream, Enumerable.Range(0, 3)
            .Select(i => new PutRecordsEntry("k", Encoding.UTF8.GetBytes($"r{i}"))).ToList()).WaitAsync(Deadline);
        // A gap in arrival times, so that AT_TIMESTAMP between the two batches shows the time is read in the right unit.
        await Task.Delay(1500);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(500);
        var later = await client.PutRecordsAsync(stream, Enumerable.Range(3, 2)
            .Select(i => new PutRecordsEntry("k", Encoding.UTF8.GetBytes($"r{i}"))).ToList()).WaitAsync(Deadline);
        var sequences = put.Records.Concat(later.Records).Select(r => r.SequenceNumber!).ToArray();

        async Task<List<string>> ReadFrom(ShardIteratorType type, string? sequence = null, DateTimeOffset? at = null)
        {
            var iterator = await client.GetShardIteratorAsync(new GetShardIteratorRequest
            {
                StreamName = stream,
                ShardId = shardId,
                IteratorType = type,
                StartingSequenceNumber = sequence,
                Timestamp = at,
            }).WaitAsync(Deadline);
            var page = await client.GetRecordsAsync(iterator, 100).WaitAsync(Deadline);
            Assert.NotNull(page.NextShardIterator);
            Assert.NotNull(page.MillisBehindLatest);
            return page.Records.Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();
        }

        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], await ReadFrom(ShardIteratorType.TrimHorizon));
        Assert.Equal(["r2", "r3", "r4"], await ReadFrom(ShardIteratorType.AtSequenceNumber, sequences[2]));
        Assert.Equal(["r3", "r4"], await ReadFrom(ShardIteratorType.AfterSequenceNumber, sequences[2]));
        Assert.Empty(await ReadFrom(ShardIteratorType.Latest));
        Assert.Equal(["r0", "r1", "r2", "r3", "r4"], await ReadFrom(ShardIteratorType.AtTimestamp, at: DateTimeOffset.UtcNow.AddMinutes(-10)));
        Assert.Equal(["r3", "r4"], await ReadFrom(ShardIteratorType.AtTimestamp, at: between));

        var limited = await client.GetRecordsAsync(await client.GetShardIteratorAsync(new GetShardIteratorRequest
        {
            StreamName = stream,
            ShardId = shardId,
            IteratorType = ShardIteratorType.TrimHorizon,
        }), 2).WaitAsync(Deadline);
        Assert.Equal(2, limited.Records.Count);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task ListShards_pages_and_filters(WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);
        await using var stream = await NewStreamAsync(client, 5);

        var seen = new List<Shard>();
        var page = await client.ListShardsAsync(new ListShardsRequest { StreamName = stream, MaxResults = 2 }).WaitAsync(Deadline);
        var pages = 1;
        seen.AddRange(page.Shards);
        while (page.NextToken is not null)
        {
            page = await client.ListShardsAsync(new ListShardsRequest { NextToken = page.NextToken, MaxResults = 2 }).WaitAsync(Deadline);
            seen.AddRange(page.Shards);
            pages++;
        }

        Assert.Equal(5, seen.Select(s => s.ShardId).Distinct().Count());
        Assert.Equal(3, pages);
        Assert.All(seen, s => Assert.True(s.IsOpen));
        Assert.Equal(HashKey.MinValue, seen.Min(s => s.HashKeyRange.StartingHashKey));
        Assert.Equal(HashKey.MaxValue, seen.Max(s => s.HashKeyRange.EndingHashKey));

        var ordered = seen.OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.Equal(ordered[i - 1].HashKeyRange.EndingHashKey.Value + 1, ordered[i].HashKeyRange.StartingHashKey.Value);
        }

        var after = await client.ListShardsAsync(new ListShardsRequest
        {
            StreamName = stream,
            ShardFilter = new ShardFilter(ShardFilterType.AfterShardId, ordered[0].ShardId),
        }).WaitAsync(Deadline);
        Assert.DoesNotContain(after.Shards, s => s.ShardId == ordered[0].ShardId);

        var latest = await client.ListAllShardsAsync(stream, new ShardFilter(ShardFilterType.AtLatest)).WaitAsync(Deadline);
        Assert.Equal(5, latest.Count);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Split_shows_children_with_their_parent_and_the_parent_ends_with_child_shards(WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);
        await using var stream = await NewStreamAsync(client, 1, peakShards: 2);
        var parent = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).Single();
        await client.PutRecordAsync(new PutRecordRequest { StreamName = stream, PartitionKey = "before", Data = "b"u8.ToArray() }).WaitAsync(Deadline);

        var middle = new HashKey(UInt128.MaxValue / 2);
        await client.SplitShardAsync(stream, parent.ShardId, middle).WaitAsync(Deadline);
        await client.WaitForStreamActiveAsync(stream, Deadline).WaitAsync(Deadline);

        var shards = await client.ListAllShardsAsync(stream).WaitAsync(Deadline);
        var children = shards.Where(s => s.ParentShardId == parent.ShardId).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
        Assert.Equal(2, children.Count);
        Assert.Equal(new HashKeyRange(HashKey.MinValue, new HashKey(middle.Value - 1)), children[0].HashKeyRange);
        Assert.Equal(new HashKeyRange(middle, HashKey.MaxValue), children[1].HashKeyRange);
        Assert.False(shards.Single(s => s.ShardId == parent.ShardId).IsOpen);

        // Reading the closed parent to its end reports the children.
        var iterator = await client.GetShardIteratorAsync(new GetShardIteratorRequest
        {
            StreamName = stream,
            ShardId = parent.ShardId,
            IteratorType = ShardIteratorType.TrimHorizon,
        }).WaitAsync(Deadline);
        GetRecordsResponse page;
        var records = new List<KinesisRecord>();
        var reads = 0;
        do
        {
            page = await client.GetRecordsAsync(iterator!).WaitAsync(Deadline);
            records.AddRange(page.Records);
            iterator = page.NextShardIterator;
        }
        while (!page.IsShardEnd && ++reads < 20);

        Assert.True(page.IsShardEnd);
        Assert.Equal("before", Assert.Single(records).PartitionKey);
        Assert.Equal(children.Select(c => c.ShardId).Order(), page.ChildShards.Select(c => c.ShardId).Order());
        Assert.All(page.ChildShards, c => Assert.Equal([parent.ShardId], c.ParentShards));
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Merge_gives_a_child_with_both_parents(WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);
        await using var stream = await NewStreamAsync(client, 2);
        var parents = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();

        await client.MergeShardsAsync(stream, parents[0].ShardId, parents[1].ShardId).WaitAsync(Deadline);
        await client.WaitForStreamActiveAsync(stream, Deadline).WaitAsync(Deadline);

        var shards = await client.ListAllShardsAsync(stream).WaitAsync(Deadline);
        var child = Assert.Single(shards, s => s.IsOpen);
        Assert.Equal(parents[0].ShardId, child.ParentShardId);
        Assert.Equal(parents[1].ShardId, child.AdjacentParentShardId);
        Assert.Equal(HashKeyRange.Full, child.HashKeyRange);
        Assert.Equal(1, (await client.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline)).OpenShardCount);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task UpdateShardCount_reaches_the_target(WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);
        await using var stream = await NewStreamAsync(client, 2, peakShards: 4);

        var update = await client.UpdateShardCountAsync(stream, 4).WaitAsync(Deadline);
        Assert.Equal(2, update.CurrentShardCount);
        Assert.Equal(4, update.TargetShardCount);

        await client.WaitForStreamActiveAsync(stream, Deadline).WaitAsync(Deadline);
        await WaitUntilAsync(async () => (await client.ListAllShardsAsync(stream, new ShardFilter(ShardFilterType.AtLatest))).Count == 4);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Stream_consumers_register_describe_list_deregister(WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);
        await using var stream = await NewStreamAsync(client, 1);
        var arn = (await client.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline)).StreamArn;

        var registered = await client.RegisterStreamConsumerAsync(arn, "reader-1").WaitAsync(Deadline);
        Assert.Equal("reader-1", registered.ConsumerName);
        Assert.StartsWith(arn, registered.ConsumerArn, StringComparison.Ordinal);

        StreamConsumer described = registered;
        await WaitUntilAsync(async () =>
        {
            described = await client.DescribeStreamConsumerAsync(registered.ConsumerArn);
            return described.IsActive;
        });
        Assert.Equal(registered.ConsumerArn, described.ConsumerArn);

        var byName = await client.DescribeStreamConsumerAsync(null, arn, "reader-1").WaitAsync(Deadline);
        Assert.Equal(registered.ConsumerArn, byName.ConsumerArn);

        var listed = await client.ListStreamConsumersAsync(arn).WaitAsync(Deadline);
        Assert.Contains(listed.Consumers, c => c.ConsumerArn == registered.ConsumerArn);

        await client.DeregisterStreamConsumerAsync(registered.ConsumerArn).WaitAsync(Deadline);
        await WaitUntilAsync(async () =>
        {
            try
            {
                return !(await client.DescribeStreamConsumerAsync(registered.ConsumerArn)).IsActive;
            }
            catch (ResourceNotFoundException)
            {
                return true;
            }
        });
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Service_errors_carry_code_status_and_subtype(WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);

        var missing = await Assert.ThrowsAsync<ResourceNotFoundException>(
            () => client.DescribeStreamSummaryAsync(LocalAws.UniqueName("missing"))).WaitAsync(Deadline);
        Assert.Equal("ResourceNotFoundException", missing.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.False(missing.IsRetryable);
        Assert.Equal("Kinesis", missing.Service);
        Assert.Equal("DescribeStreamSummary", missing.Operation);

        await using var stream = await NewStreamAsync(client, 1);
        var inUse = await Assert.ThrowsAsync<ResourceInUseException>(() => client.CreateStreamAsync(stream, 1)).WaitAsync(Deadline);
        Assert.Equal("ResourceInUseException", inUse.ErrorCode);

        // The service answers 400 InvalidArgumentException here; kinesis-mock answers 500 with an empty body.
        var badIterator = await Assert.ThrowsAnyAsync<AwsServiceException>(() => client.GetRecordsAsync("not-an-iterator")).WaitAsync(Deadline);
        Assert.NotNull(badIterator.StatusCode);
        Assert.Contains("GetRecords", badIterator.Message, StringComparison.Ordinal);
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) =>
        Eventually.HoldsAsync(condition, () => "the engine to reach the awaited state", Deadline);
}
