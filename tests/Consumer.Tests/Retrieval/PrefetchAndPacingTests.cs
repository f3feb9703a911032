using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Consumer.Tests.Retrieval.RetrievalEngine;

namespace Kinesis.Clients.Consumer.Tests.Retrieval;

/// <summary>The read-ahead bounds under a slow consumer, and the time between calls on a fake clock.</summary>
[Trait("Category", "Engine")]
public sealed class PrefetchAndPacingTests : IClassFixture<LocalAwsFixture>
{
    private const int PageSize = 5;

    private readonly LocalAws _aws;

    public PrefetchAndPacingTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Theory]
    [InlineData(1, 30_000, 8L * 1024 * 1024)]
    [InlineData(3, 30_000, 8L * 1024 * 1024)]
    [InlineData(10, 12, 8L * 1024 * 1024)]
    [InlineData(10, 30_000, 40L)]
    public async Task A_stalled_consumer_stops_the_reads_once_the_buffer_is_full(int maxBatches, int maxRecords, long maxBytes)
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var expected = await PutPlainAsync(client, stream, 80);
        var options = new ShardReaderOptions
        {
            MaxRecords = PageSize,
            MaxPrefetchBatches = maxBatches,
            MaxPrefetchRecords = maxRecords,
            MaxPrefetchBytes = maxBytes,
        };
        await using var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon, options);
        using var deadline = new CancellationTokenSource(Deadline);
        var batches = reader.ReadAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        var read = new List<Expected>();
        try
        {
            // Take one batch and hold it: the reader fills its buffer and then stops calling.
            Assert.True(await batches.MoveNextAsync());
            read.AddRange(batches.Current.Records.Select(Expected.Of));
            await Eventually.HoldsAsync(() => !HasRoom(reader, options), "the buffer is full", RetrievalEngine.Deadline);
            var calls = reader.GetRecordsCalls;
            await Task.Delay(TimeSpan.FromMilliseconds(800));

            Assert.Equal(calls, reader.GetRecordsCalls);
            Assert.InRange(reader.BufferedBatches, 1, maxBatches);
            Assert.InRange(reader.BufferedRecords, 1, maxRecords - 1 + PageSize);
            Assert.InRange(reader.BufferedBytes, 1, maxBytes - 1 + (PageSize * 3));

            // Taking the rest in turn releases the buffer bit by bit; nothing is lost or repeated.
            while (read.Count < expected.Count && await batches.MoveNextAsync())
            {
                read.AddRange(batches.Current.Records.Select(Expected.Of));
                Assert.InRange(reader.BufferedBatches, 1, maxBatches);
            }

            Assert.Equal(expected, read);
        }
        finally
        {
            await batches.DisposeAsync();
        }
    }

    [Fact]
    public async Task Disposing_drops_the_batches_read_ahead()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        await PutPlainAsync(client, stream, 10);
        var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon, new ShardReaderOptions { MaxRecords = 1 });
        using var deadline = new CancellationTokenSource(Deadline);
        var batches = reader.ReadAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        try
        {
            Assert.True(await batches.MoveNextAsync());
            await Eventually.HoldsAsync(() => reader.BufferedBatches == 3, "three batches are held", RetrievalEngine.Deadline);

            await reader.DisposeAsync().AsTask().WaitAsync(Deadline);

            Assert.False(await batches.MoveNextAsync());
        }
        finally
        {
            await batches.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_empty_shard_is_read_once_per_idle_time_and_a_busy_one_at_the_floor()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client);
        var shard = await OnlyShardAsync(client, stream);
        var time = new RecordingTimeProvider(DateTimeOffset.UtcNow);
        var options = new ShardReaderOptions { IdleTimeBetweenReads = TimeSpan.FromSeconds(1), MaxRecords = 1, MaxPrefetchBatches = 100 };
        await using var reader = Reader(client, stream, shard, StartingPosition.TrimHorizon, options, time);
        using var deadline = new CancellationTokenSource(Deadline);
        var batches = reader.ReadAsync(deadline.Token).GetAsyncEnumerator(deadline.Token);
        try
        {
            Assert.True(await batches.MoveNextAsync());
            Assert.Empty(batches.Current.Records);
            Assert.Equal(0, batches.Current.MillisBehindLatest);
            Assert.Equal(StartingPosition.TrimHorizon, batches.Current.NextPosition);

            // Nothing found at the tip: the next call waits the idle time, to the tick.
            var idle = await WaitsAsync(time, reader, calls: 1, TimeSpan.FromSeconds(1));
            time.Advance(TimeSpan.FromMilliseconds(999));
            Assert.False(idle.HasFired);
            Assert.Equal(1, reader.GetRecordsCalls);
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.HoldsAsync(() => reader.GetRecordsCalls == 2, "the second call", RetrievalEngine.Deadline);

            // Records found: the calls after a page with records come at the floor, 200 ms.
            idle = await WaitsAsync(time, reader, calls: 2, TimeSpan.FromSeconds(1));
            await PutPlainAsync(client, stream, 3);
            time.Advance(TimeSpan.FromSeconds(1));
            await Eventually.HoldsAsync(() => reader.GetRecordsCalls == 3, "the third call", RetrievalEngine.Deadline);
            await Eventually.HoldsAsync(() => reader.BufferedRecords == 1, "the first record is buffered", RetrievalEngine.Deadline);
            var floor = await WaitsAsync(time, reader, calls: 3, TimeSpan.FromMilliseconds(200));
            time.Advance(TimeSpan.FromMilliseconds(199));
            Assert.False(floor.HasFired);
            Assert.Equal(3, reader.GetRecordsCalls);
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Eventually.HoldsAsync(() => reader.GetRecordsCalls == 4, "the fourth call", RetrievalEngine.Deadline);
        }
        finally
        {
            await batches.DisposeAsync();
        }
    }

    private static bool HasRoom(PollingShardReader reader, ShardReaderOptions options) =>
        reader.BufferedBatches < options.MaxPrefetchBatches
        && reader.BufferedRecords < options.MaxPrefetchRecords
        && reader.BufferedBytes < options.MaxPrefetchBytes;

    // The reader has made its calls and now waits on the fake clock (its idle point), for exactly the time given:
    // no call can come before that timer fires, as the clock moves only when the test advances it.
    private static async Task<RecordedTimer> WaitsAsync(RecordingTimeProvider time, PollingShardReader reader, long calls, TimeSpan wait)
    {
        var timer = await time.WaitForPendingTimerAsync(_ => true, $"the wait before call {calls + 1}", RetrievalEngine.Deadline);
        Assert.Equal(wait, timer.DueTime);
        Assert.Equal(time.GetUtcNow(), timer.ArmedAt);
        Assert.Equal(calls, reader.GetRecordsCalls);
        return timer;
    }
}
