using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>A table of single-stream leases and a multi-stream worker (or the reverse) do not mix: one clear error at start.</summary>
[Trait("Category", "Engine")]
public sealed class LeaseTableModeTests : IClassFixture<LocalAwsFixture>
{
    private static readonly StreamIdentifier Orders = StreamIdentifier.MultiStream("123456789012", "orders", 1700000000);
    private readonly LocalAws _aws;

    public LeaseTableModeTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public void A_table_of_one_mode_passes_and_one_with_the_other_mode_is_refused_naming_a_lease()
    {
        var single = Lease.ForNewShard("shardId-000000000000", ExtendedSequenceNumber.TrimHorizon);
        var multi = MultiStreamLeaseKey.ForNewShard(Orders, "shardId-000000000000", ExtendedSequenceNumber.TrimHorizon);

        LeaseTableMode.EnsureMatches("t", multiStream: false, [single]);
        LeaseTableMode.EnsureMatches("t", multiStream: true, [multi]);
        LeaseTableMode.EnsureMatches("t", multiStream: true, []);

        var refusedSingle = Assert.Throws<InvalidOperationException>(() => LeaseTableMode.EnsureMatches("t", multiStream: false, [single, multi]));
        Assert.Contains(multi.LeaseKey, refusedSingle.Message, StringComparison.Ordinal);
        Assert.Contains("Streams", refusedSingle.Message, StringComparison.Ordinal);
        var refusedMulti = Assert.Throws<InvalidOperationException>(() => LeaseTableMode.EnsureMatches("t", multiStream: true, [multi, single]));
        Assert.Contains("single-stream leases (e.g. 'shardId-000000000000'", refusedMulti.Message, StringComparison.Ordinal);
    }

    [Theory(Timeout = 90_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_worker_refuses_a_table_of_the_other_mode_before_writing_to_it(bool tableIsMultiStream)
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(1);
        using var dynamo = _aws.CreateDynamoDbClient();
        var store = kit.LeaseStore(dynamo);
        await store.CreateTableIfNotExistsAsync();
        var existing = tableIsMultiStream
            ? MultiStreamLeaseKey.ForNewShard(Orders, "shardId-000000000000", ExtendedSequenceNumber.TrimHorizon)
            : Lease.ForNewShard("shardId-000000000000", ExtendedSequenceNumber.TrimHorizon);
        Assert.NotNull(await store.CreateIfAbsentAsync(existing));
        var options = kit.Options("w1");
        if (!tableIsMultiStream)
        {
            options.StreamName = "";
            options.Streams = new MultiStreamTracker([new StreamConfig(kit.Stream)]);
        }

        var consumer = new KinesisConsumer(options, new RecordingFactory(new ProcessingLog(), "w1"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => consumer.RunAsync(CancellationToken.None)).WaitAsync(WorkerKit.Deadline);

        Assert.Contains(kit.Application, error.Message, StringComparison.Ordinal);
        Assert.Equal([existing], await store.ListAsync());
    }
}
