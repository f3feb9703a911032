using System.Text;
using Kinesis.Clients.Consumer.Tests.Worker;

namespace Kinesis.Clients.Consumer.Tests.Failures;

/// <summary>Records the processor keeps failing on go to a dead-letter stream on kinesis-mock, and the shard goes on.</summary>
[Trait("Category", "Engine")]
public sealed class DeadLetterStreamTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 120_000)]
    public async Task Bad_records_land_in_the_dead_letter_stream_with_their_key_data_and_origin_and_the_rest_is_processed()
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(1);
        await using var deadLetters = await _aws.NewStreamAsync(1, "dlq", through: kit.Kinesis).WaitAsync(WorkerKit.Deadline);
        var plain = await kit.PutPlainAsync("r", 10);
        var aggregated = await kit.PutAggregatesAsync("agg", 1, 3);
        var processor = new PoisonProcessor(checkpoints: true, "r4", "agg0.1");
        var options = kit.Options("w1");
        options.FailedBatchAction = FailedBatchAction.DeadLetter;
        options.DeadLetterStreamName = deadLetters;
        options.BisectBatchOnFailure = true;
        options.MaxProcessingRetries = 1;
        options.ProcessingRetryBaseDelay = TimeSpan.FromMilliseconds(100);
        options.ProcessingRetryMaxDelay = TimeSpan.FromSeconds(1);
        using var stop = new CancellationTokenSource();
        var consumer = new KinesisConsumer(options, processor);
        var run = Task.Run(() => consumer.RunAsync(stop.Token));
        try
        {
            var good = plain.Concat(aggregated).Where(d => d is not ("r4" or "agg0.1")).Order().ToList();
            await WorkerKit.WaitUntilAsync(
                () => processor.Succeeded.SelectMany(b => b).Distinct().Count() == good.Count,
                () => $"processed: {string.Join(", ", processor.Succeeded.SelectMany(b => b).Distinct().Order())}");
            List<StreamRecord> written = [];
            await WorkerKit.WaitUntilAsync(
                async () => (written = await StreamContents.ReadAllAsync(kit.Kinesis, deadLetters)).Count >= 2,
                () => $"{written.Count} dead-letter records");

            Assert.Equal(good, processor.Succeeded.SelectMany(b => b).Distinct().Order());
            Assert.Empty(processor.Redelivered);
            Assert.Equal(["kagg0.1", "kr4"], written.Select(r => r.PartitionKey).Order());
            foreach (var entry in written)
            {
                var record = DeadLetterRecord.Decode(entry.Data);
                var data = Encoding.UTF8.GetString(record.Data.Span);
                Assert.Equal("k" + data, record.PartitionKey);
                Assert.Equal(entry.PartitionKey, record.PartitionKey);
                Assert.Equal((kit.Application, kit.Stream, "shardId-000000000000"), (record.Application, record.StreamName, record.ShardId));
                Assert.Equal(("System.FormatException", $"cannot parse {data}", 2), (record.ErrorType, record.ErrorMessage, record.Attempts));
                Assert.Equal(data == "agg0.1" ? 1 : 0, record.SubSequenceNumber);
                Assert.Null(record.ExplicitHashKey); // the aggregate gave its sub-records none
                Assert.True(record.ApproximateArrivalTimestamp <= record.FailedAt, $"{record.ApproximateArrivalTimestamp} > {record.FailedAt}");
            }
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(WorkerKit.Deadline);
        }
    }
}
