using System.Text;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Consumer.Tests.Retrieval.RetrievalEngine;

namespace Kinesis.Clients.Consumer.Tests.Retrieval;

/// <summary>The polling reader against kinesis-mock: order, exactly-once, starting positions and resumes.</summary>
[Trait("Category", "Engine")]
public sealed class PollingShardReaderTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public PollingShardReaderTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    private static ShardReaderOptions SmallPages(int maxRecords = 7) => new() { MaxRecords = maxRecords };

    [Fact]
    public async Task Plain_records_are_read_once_each_in_order_over_several_pages()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 40);

        await using var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon, SmallPages());
        var read = await ReadCountAsync(reader, expected.Count);

        Assert.Equal(expected, read.Records);
        Assert.All(read.Batches, b => Assert.True(b.Records.Count <= 7));
        Assert.All(read.Batches.SelectMany(b => b.Records), r => Assert.False(r.IsAggregated));
        Assert.Equal(StartingPosition.AfterRecord(expected[^1].SequenceNumber), read.Batches[^1].NextPosition);
    }

    [Fact]
    public async Task Aggregated_and_plain_records_are_read_once_each_in_order_with_sub_sequence_numbers()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = new List<Expected>();
        expected.AddRange(await PutPlainAsync(client, stream, 5, "first"));
        expected.AddRange(await PutAggregatedAsync(client, stream, aggregates: 12, perAggregate: 25));
        expected.AddRange(await PutPlainAsync(client, stream, 5, "last"));

        await using var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon, SmallPages(5));
        var read = await ReadCountAsync(reader, expected.Count);

        Assert.Equal(expected, read.Records);
        var records = read.Batches.SelectMany(b => b.Records).ToList();
        Assert.Equal(12 * 25, records.Count(r => r.IsAggregated));
        Assert.All(records.Where(r => r.IsAggregated), r => Assert.StartsWith("user-", r.PartitionKey, StringComparison.Ordinal));
        Assert.All(read.Batches, b => Assert.Equal(0, b.OutOfRangeRecords));
        Assert.Equal(0, reader.OutOfRangeRecords);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(12)]
    [InlineData(23)]
    [InlineData(24)]
    public async Task Resuming_from_a_checkpoint_inside_an_aggregate_delivers_exactly_the_sub_records_after_it(int checkpointSub)
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutAggregatedAsync(client, stream, aggregates: 4, perAggregate: 25);
        expected.AddRange(await PutPlainAsync(client, stream, 3));

        // The checkpoint names the sub-record of the second aggregate processed last.
        var checkpoint = expected.First(e => e.SequenceNumber == expected[25].SequenceNumber && e.SubSequenceNumber == checkpointSub);
        var start = StartingPosition.FromCheckpoint(checkpoint.SequenceNumber, checkpoint.SubSequenceNumber);
        Assert.Equal(ShardIteratorType.AtSequenceNumber, start.IteratorType);
        var after = expected.Skip(expected.IndexOf(checkpoint) + 1).ToList();

        await using var reader = Reader(client, stream, shard, start, SmallPages(2));
        var read = await ReadCountAsync(reader, after.Count);

        Assert.Equal(after, read.Records);
    }

    [Fact]
    public async Task Resuming_from_a_checkpoint_on_a_plain_record_starts_with_the_next_record()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 10);

        await using var reader = Reader(client, stream, shard, StartingPosition.FromCheckpoint(expected[3].SequenceNumber, 0));
        var read = await ReadCountAsync(reader, 6);

        Assert.Equal(expected.Skip(4), read.Records);
    }

    [Fact]
    public async Task Starting_after_a_whole_record_asks_for_the_records_after_it()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutAggregatedAsync(client, stream, aggregates: 3, perAggregate: 4);

        var start = StartingPosition.AfterRecord(expected[4].SequenceNumber, 3);
        Assert.Equal(ShardIteratorType.AfterSequenceNumber, start.IteratorType);
        await using var reader = Reader(client, stream, shard, start);
        var read = await ReadCountAsync(reader, 4);

        Assert.Equal(expected.Skip(8), read.Records);
    }

    [Fact]
    public async Task Every_batch_position_resumes_without_gap_or_repeat()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 3);
        expected.AddRange(await PutAggregatedAsync(client, stream, aggregates: 3, perAggregate: 5));
        expected.AddRange(await PutPlainAsync(client, stream, 3, "q"));

        await using var first = Reader(client, stream, shard, StartingPosition.TrimHorizon, SmallPages(2));
        var all = await ReadCountAsync(first, expected.Count);
        Assert.Equal(expected, all.Records);

        var seen = 0;
        foreach (var batch in all.Batches)
        {
            seen += batch.Records.Count;
            var rest = expected.Skip(seen).ToList();
            if (rest.Count == 0)
            {
                break;
            }

            // Both a reader given the position itself and one given only its checkpoint, as a lease stores it.
            var checkpoint = batch.NextPosition.Checkpoint!.Value;
            foreach (var start in new[] { batch.NextPosition, StartingPosition.FromCheckpoint(checkpoint.SequenceNumber, checkpoint.SubSequenceNumber) })
            {
                await using var again = Reader(client, stream, shard, start);
                var read = await ReadCountAsync(again, rest.Count);
                Assert.Equal(rest, read.Records);
            }
        }
    }

    [Fact]
    public async Task Trim_horizon_latest_and_at_timestamp_start_where_they_say()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var early = await PutPlainAsync(client, stream, 5, "early");

        // Arrival times are in milliseconds; a pause makes the two groups arrive apart.
        await Task.Delay(50);
        var later = await PutAggregatedAsync(client, stream, aggregates: 2, perAggregate: 3, "later");
        var all = early.Concat(later).ToList();

        await using (var fromHorizon = Reader(client, stream, shard, StartingPosition.TrimHorizon))
        {
            var read = await ReadCountAsync(fromHorizon, all.Count);
            Assert.Equal(all, read.Records);

            // AT_TIMESTAMP at the arrival of the first later record gives everything that arrived from then on.
            var arrivals = read.Batches.SelectMany(b => b.Records).ToList();
            var at = arrivals[early.Count].ApproximateArrivalTimestamp;
            Assert.True(arrivals[early.Count - 1].ApproximateArrivalTimestamp < at);
            await using var fromTime = Reader(client, stream, shard, StartingPosition.AtTimestamp(at));
            var timed = await ReadCountAsync(fromTime, later.Count);
            Assert.Equal(arrivals.Where(r => r.ApproximateArrivalTimestamp >= at).Select(Expected.Of), timed.Records);
            Assert.Equal(later, timed.Records);
        }

        await using var fromLatest = Reader(client, stream, shard, StartingPosition.Latest);
        var newer = new List<Expected>();
        var result = await ReadAsync(
            fromLatest,
            records => records.Count >= 4,
            onBatch: async _ =>
            {
                // The first batch comes once the iterator is taken: put the new records then, and only once.
                if (newer.Count == 0)
                {
                    newer.AddRange(await PutPlainAsync(client, stream, 4, "newer"));
                }
            });
        Assert.Equal(newer, result.Records);
    }

    [Fact]
    public async Task A_split_shard_ends_with_its_children_and_the_sequence_ends()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, peakShards: 2);
        var parent = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 6);
        expected.AddRange(await PutAggregatedAsync(client, stream, aggregates: 2, perAggregate: 3));

        await client.SplitShardAsync(stream, parent.ShardId, new HashKey(UInt128.MaxValue / 2)).WaitAsync(Deadline);
        await client.WaitForStreamActiveAsync(stream, Deadline).WaitAsync(Deadline);
        var children = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).Where(s => s.ParentShardId == parent.ShardId).ToList();
        Assert.Equal(2, children.Count);
        await PutPlainAsync(client, stream, 4, "child");

        await using var reader = Reader(client, stream, parent, StartingPosition.TrimHorizon, SmallPages(4));
        var read = await ReadAsync(reader, _ => false);

        Assert.Equal(expected, read.Records);
        var end = read.Batches[^1];
        Assert.True(end.IsShardEnd);
        Assert.Equal(children.Select(c => c.ShardId).Order(), end.ChildShards.Select(c => c.ShardId).Order());
        Assert.All(end.ChildShards, c => Assert.Equal([parent.ShardId], c.ParentShards));
        Assert.All(read.Batches.SkipLast(1), b => Assert.False(b.IsShardEnd));
    }

    [Fact]
    public async Task A_deleted_stream_ends_the_reading_with_the_service_error_after_the_batches_read()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 3);
        await using var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon);

        var delivered = new List<Expected>();
        var error = await Assert.ThrowsAnyAsync<AwsServiceException>(() => ReadAsync(reader, _ => false, async batch =>
        {
            delivered.AddRange(batch.Records.Select(Expected.Of));
            if (delivered.Count == expected.Count)
            {
                await client.DeleteStreamAsync(stream).WaitAsync(Deadline);
            }
        })).WaitAsync(Deadline);

        Assert.Equal(expected, delivered);
        Assert.False(error.IsRetryable);
        Assert.True(error is ResourceNotFoundException or ResourceInUseException, error.Message);
    }

    [Fact]
    public async Task A_reader_is_enumerated_once_and_stops_when_disposed()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var reader = Reader(client, stream, shard, StartingPosition.Latest);

        var first = reader.ReadAsync().GetAsyncEnumerator();
        Assert.True(await first.MoveNextAsync().AsTask().WaitAsync(Deadline));
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in reader.ReadAsync())
            {
            }
        }).WaitAsync(Deadline);

        // Disposing while the consumer waits for a batch ends its sequence quietly.
        var next = first.MoveNextAsync().AsTask();
        await reader.DisposeAsync().AsTask().WaitAsync(Deadline);
        Assert.False(await next.WaitAsync(Deadline));
        await first.DisposeAsync();
        await reader.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await reader.ReadAsync().GetAsyncEnumerator().MoveNextAsync()).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Records_carry_keys_arrival_time_and_explicit_hash_keys()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        using var builder = new Aggregation.AggregateBuilder();
        Assert.True(builder.TryAdd("pk-one", "12345", "x"u8));
        Assert.True(builder.TryAdd("pk-two", null, "y"u8));
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        await client.PutRecordAsync(new PutRecordRequest
        {
            StreamName = stream,
            PartitionKey = builder.KinesisPartitionKey,
            ExplicitHashKey = builder.KinesisExplicitHashKey,
            Data = builder.ToKinesisData(),
        }).WaitAsync(Deadline);

        await using var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon);
        var records = (await ReadCountAsync(reader, 2)).Batches.SelectMany(b => b.Records).ToList();

        Assert.Equal(["pk-one", "pk-two"], records.Select(r => r.PartitionKey));
        Assert.Equal(["12345", null], records.Select(r => r.ExplicitHashKey));
        Assert.Equal(["x", "y"], records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.All(records, r => Assert.InRange(r.ApproximateArrivalTimestamp, before, DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.All(records, r => Assert.True(r.IsAggregated));
    }
}
