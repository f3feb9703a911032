using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;
using static Kinesis.Clients.Consumer.Tests.Retrieval.RetrievalEngine;

namespace Kinesis.Clients.Consumer.Tests.Retrieval;

/// <summary>Through the limits proxy: read limits, injected failures and resets, expired iterators.</summary>
[Trait("Category", "Engine")]
public sealed class ReaderFaultTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public ReaderFaultTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact]
    public async Task One_reader_alone_stays_within_five_calls_a_second()
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint).WaitAsync(Deadline);
        using var client = Client(_aws, proxy.Endpoint);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 40);

        await using var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon, new ShardReaderOptions { MaxRecords = 2 });
        var read = await ReadCountAsync(reader, expected.Count);

        Assert.Equal(expected, read.Records);
        Assert.Equal(0, reader.ThrottledCalls);
        Assert.Equal(0, proxy.Stats.ThrottledGetRecordsRequests);
        Assert.True(proxy.Stats.Shard(stream, shard.ShardId).ReadCalls >= 20);
    }

    [Fact]
    public async Task Throttled_reads_at_two_calls_a_second_back_off_and_lose_or_repeat_nothing()
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint, new LimitsProxyOptions { ReadCallsPerSecond = 2 }).WaitAsync(Deadline);
        using var client = Client(_aws, proxy.Endpoint);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 15);
        expected.AddRange(await PutAggregatedAsync(client, stream, aggregates: 10, perAggregate: 4));

        await using var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon, new ShardReaderOptions { MaxRecords = 3 });
        var read = await ReadCountAsync(reader, expected.Count);

        _output.WriteLine($"calls {reader.GetRecordsCalls}, throttled {reader.ThrottledCalls}, proxy throttled {proxy.Stats.ThrottledGetRecordsRequests}");
        Assert.Equal(expected, read.Records);
        Assert.True(reader.ThrottledCalls > 0, "the proxy should have throttled some reads");
        Assert.Equal(proxy.Stats.ThrottledGetRecordsRequests, reader.ThrottledCalls);
    }

    [Fact]
    public async Task Readers_sharing_a_shard_are_throttled_and_each_reads_every_record_once()
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint).WaitAsync(Deadline);
        using var client = Client(_aws, proxy.Endpoint);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 30);
        expected.AddRange(await PutAggregatedAsync(client, stream, aggregates: 5, perAggregate: 6));

        var readers = Enumerable.Range(0, 3)
            .Select(_ => Reader(client, stream, shard, StartingPosition.TrimHorizon, new ShardReaderOptions { MaxRecords = 3 }))
            .ToList();
        try
        {
            var results = await Task.WhenAll(readers.Select(r => ReadCountAsync(r, expected.Count))).WaitAsync(Deadline);
            Assert.All(results, r => Assert.Equal(expected, r.Records));
            Assert.True(readers.Sum(r => r.ThrottledCalls) > 0, "three readers at 5 calls/s each should be throttled");
            Assert.Equal(proxy.Stats.ThrottledGetRecordsRequests, readers.Sum(r => r.ThrottledCalls));
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Injected_500s_503s_and_resets_are_retried_without_loss_or_repeat()
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint, new LimitsProxyOptions { FaultSeed = 7 }).WaitAsync(Deadline);
        using var client = Client(_aws, proxy.Endpoint);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 20);
        expected.AddRange(await PutAggregatedAsync(client, stream, aggregates: 6, perAggregate: 5));

        proxy.Faults.FailNext(2, 503, "GetShardIterator");
        proxy.Faults.ResetNext(1, "GetShardIterator");
        proxy.Faults.RateOperation = "GetRecords";
        proxy.Faults.FailureRate = 0.3;
        proxy.Faults.ResetRate = 0.15;
        var options = new ShardReaderOptions { MaxRecords = 3, RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromMilliseconds(200) };
        await using var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon, options);
        var read = await ReadCountAsync(reader, expected.Count);

        _output.WriteLine($"calls {reader.GetRecordsCalls}, failed {reader.FailedCalls}, injected {proxy.Stats.InjectedFailures} failures and {proxy.Stats.InjectedResets} resets");
        Assert.Equal(expected, read.Records);
        // Every injected error reply is seen; a reset could in principle be retried by the HTTP stack unseen.
        Assert.InRange(reader.FailedCalls, proxy.Stats.InjectedFailures, proxy.Stats.InjectedFailures + proxy.Stats.InjectedResets);
        Assert.True(proxy.Stats.InjectedResets >= 2);
        Assert.True(proxy.Stats.InjectedFailures >= 3);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public async Task An_expired_iterator_is_replaced_after_the_last_record_read_without_loss_or_repeat(int expireAfterBatches)
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint).WaitAsync(Deadline);
        using var client = Client(_aws, proxy.Endpoint);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 4);
        expected.AddRange(await PutAggregatedAsync(client, stream, aggregates: 6, perAggregate: 3));
        expected.AddRange(await PutPlainAsync(client, stream, 4, "q"));

        // One batch read ahead at most, so the fault lands right after the batch the consumer just took.
        var options = new ShardReaderOptions { MaxRecords = 2, MaxPrefetchBatches = 1 };
        await using var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon, options);
        var batches = 0;
        var read = await ReadCountAsync(reader, expected.Count, _ =>
        {
            if (++batches == expireAfterBatches)
            {
                proxy.Faults.FailNext(1, 400, "GetRecords", "ExpiredIteratorException");
            }

            return Task.CompletedTask;
        });

        Assert.Equal(expected, read.Records);
        Assert.Equal(1, reader.ExpiredIterators);
        Assert.Equal(2, proxy.Stats.RequestsFor("GetShardIterator"));
        Assert.Equal(0, proxy.Faults.Pending);
    }

    [Fact]
    public async Task An_iterator_expiring_before_the_first_page_of_a_resume_inside_an_aggregate_reads_it_again_and_skips_the_same()
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint).WaitAsync(Deadline);
        using var client = Client(_aws, proxy.Endpoint);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutAggregatedAsync(client, stream, aggregates: 3, perAggregate: 8);
        var checkpoint = expected[10];

        proxy.Faults.FailNext(2, 400, "GetRecords", "ExpiredIteratorException");
        await using var reader = Reader(client, stream, shard, StartingPosition.FromCheckpoint(checkpoint.SequenceNumber, checkpoint.SubSequenceNumber));
        var read = await ReadCountAsync(reader, expected.Count - 11);

        Assert.Equal(expected.Skip(11), read.Records);
        Assert.Equal(2, reader.ExpiredIterators);
        Assert.Equal(3, proxy.Stats.RequestsFor("GetShardIterator"));
    }
}
