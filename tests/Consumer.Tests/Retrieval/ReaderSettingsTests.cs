using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;

namespace Kinesis.Clients.Consumer.Tests.Retrieval;

/// <summary>Reader options, the time between calls, and the read-ahead budget, without an engine.</summary>
public sealed class ReaderSettingsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Defaults_follow_the_kcl_and_are_valid()
    {
        var options = new ShardReaderOptions();
        options.Validate();
        Assert.Equal(10_000, options.MaxRecords);
        Assert.Equal(TimeSpan.FromSeconds(1), options.IdleTimeBetweenReads);
        Assert.Equal(TimeSpan.FromMilliseconds(200), options.MinTimeBetweenReads);
        Assert.Equal(3, options.MaxPrefetchBatches);
        Assert.Equal(30_000, options.MaxPrefetchRecords);
        Assert.Equal(8 * 1024 * 1024, options.MaxPrefetchBytes);
    }

    public static TheoryData<Action<ShardReaderOptions>, string> BadOptions => new()
    {
        { o => o.MaxRecords = 0, nameof(ShardReaderOptions.MaxRecords) },
        { o => o.MaxRecords = 10_001, nameof(ShardReaderOptions.MaxRecords) },
        { o => o.MinTimeBetweenReads = TimeSpan.FromMilliseconds(199), nameof(ShardReaderOptions.MinTimeBetweenReads) },
        { o => o.IdleTimeBetweenReads = TimeSpan.FromMilliseconds(100), nameof(ShardReaderOptions.IdleTimeBetweenReads) },
        { o => { o.MinTimeBetweenReads = TimeSpan.FromSeconds(2); }, nameof(ShardReaderOptions.IdleTimeBetweenReads) },
        { o => o.MaxPrefetchBatches = 0, nameof(ShardReaderOptions.MaxPrefetchBatches) },
        { o => o.MaxPrefetchRecords = -1, nameof(ShardReaderOptions.MaxPrefetchRecords) },
        { o => o.MaxPrefetchBytes = 0, nameof(ShardReaderOptions.MaxPrefetchBytes) },
        { o => o.RetryBaseDelay = TimeSpan.Zero, nameof(ShardReaderOptions.RetryBaseDelay) },
        { o => o.RetryMaxDelay = TimeSpan.FromMilliseconds(100), nameof(ShardReaderOptions.RetryMaxDelay) },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_bad_option_is_refused_by_name(Action<ShardReaderOptions> change, string name)
    {
        var options = new ShardReaderOptions();
        change(options);
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(name, error.ParamName);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reader_refuses_bad_options_when_built_and_reads_nothing_until_enumerated()
    {
        using var client = new KinesisClient(new KinesisClientOptions
        {
            Region = "us-east-1",
            ServiceUrl = new Uri("http://127.0.0.1:9/"),
            Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIDTEST", "secret"),
        });
        var options = new ShardReaderOptions { MaxRecords = 0 };
        var error = Assert.Throws<ArgumentException>(() => new PollingShardReader(client, "s", "shardId-0", null, StartingPosition.Latest, options));
        Assert.Equal(nameof(ShardReaderOptions.MaxRecords), error.ParamName);

        options.MaxRecords = 5;
        await using var reader = new PollingShardReader(client, "s", "shardId-0", null, StartingPosition.Latest, options);
        Assert.Equal(StartingPosition.Latest, reader.Position);
        Assert.Equal(0, reader.GetRecordsCalls);
    }

    public static TheoryData<int, long?, bool, int> GapCases => new()
    {
        // records, millisBehindLatest, succeeded → gap in ms (idle 1,000, floor 200)
        { 0, 0, true, 1000 },
        { 0, null, true, 1000 },
        { 0, 5_000, true, 200 },
        { 1, 0, true, 200 },
        { 10_000, 86_400_000, true, 200 },
        { 0, null, false, 200 },
    };

    [Theory]
    [MemberData(nameof(GapCases))]
    public void The_next_call_waits_the_idle_time_only_after_an_empty_read_at_the_tip(int records, long? behind, bool succeeded, int gapMs)
    {
        var options = new ShardReaderOptions();
        Assert.Equal(TimeSpan.FromMilliseconds(gapMs), ReadPacing.GapAfter(records, behind, succeeded, options));
    }

    [Theory]
    [InlineData(200, 0, 200)]
    [InlineData(200, 150, 50)]
    [InlineData(200, 200, 0)]
    [InlineData(1000, 5000, 0)]
    public void The_wait_is_what_remains_of_the_gap(int gapMs, int elapsedMs, int waitMs) =>
        Assert.Equal(
            TimeSpan.FromMilliseconds(waitMs),
            ReadPacing.Remaining(TimeSpan.FromMilliseconds(gapMs), TimeSpan.FromMilliseconds(elapsedMs)));

    [Fact]
    public async Task The_budget_waits_while_any_bound_is_reached_and_wakes_when_released()
    {
        var budget = new PrefetchBudget(maxBatches: 2, maxRecords: 100, maxBytes: 1000);
        await budget.WaitForRoomAsync(CancellationToken.None).AsTask().WaitAsync(Timeout);

        budget.Add(10, 100);
        budget.Add(10, 100);
        var waiting = budget.WaitForRoomAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        budget.Release(10, 100);
        await waiting.WaitAsync(Timeout);
        Assert.Equal((1, 10L, 100L), (budget.Batches, budget.Records, budget.Bytes));

        budget.Add(90, 10);
        waiting = budget.WaitForRoomAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        budget.Release(90, 10);
        await waiting.WaitAsync(Timeout);

        budget.Add(0, 900);
        waiting = budget.WaitForRoomAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        budget.Release(0, 900);
        await waiting.WaitAsync(Timeout);
        Assert.Equal((1, 10L, 100L), (budget.Batches, budget.Records, budget.Bytes));
    }

    [Fact]
    public async Task Waiting_for_room_can_be_cancelled()
    {
        var budget = new PrefetchBudget(maxBatches: 1, maxRecords: 100, maxBytes: 1000);
        budget.Add(1, 1);
        using var cancel = new CancellationTokenSource();
        var waiting = budget.WaitForRoomAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting).WaitAsync(Timeout);
    }

    [Fact]
    public void A_consumer_record_refuses_what_no_shard_could_hold_and_prints_only_its_position()
    {
        Assert.ThrowsAny<ArgumentException>(() => new ConsumerRecord("", 0, "k", null, default, default, false));
        Assert.ThrowsAny<ArgumentException>(() => new ConsumerRecord("1", -1, "k", null, default, default, false));
        Assert.ThrowsAny<ArgumentException>(() => new ConsumerRecord("1", 0, null!, null, default, default, false));
        var record = new ConsumerRecord("17", 3, "secret-key", "9", default, "secret"u8.ToArray(), true);
        Assert.Equal("17/3", record.ToString());
    }
}
