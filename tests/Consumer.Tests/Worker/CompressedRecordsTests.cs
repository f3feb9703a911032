using System.Globalization;
using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Records the producer compressed reach processors as they were put, and checkpoints inside them hold.</summary>
[Trait("Category", "Engine")]
public sealed class CompressedRecordsTests : IClassFixture<LocalAwsFixture>
{
    private const int Lines = 1500;
    private readonly LocalAws _aws;

    public CompressedRecordsTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact(Timeout = 120_000)]
    public async Task Zstd_records_arrive_with_the_producers_sub_sequence_numbers_and_a_new_worker_resumes_inside_an_aggregate()
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(1);
        var lines = Enumerable.Range(0, Lines).Select(i => string.Create(
            CultureInfo.InvariantCulture, $"2026-12-07T09:00:{i % 60:00}Z INFO [worker-{i % 4}] order {1000 + i} accepted in {i % 90} ms")).ToList();
        var put = await PutAsync(kit, lines);

        // On the wire: envelopes, fewer and smaller than the lines.
        var raw = await ReadRawAsync(kit);
        Assert.All(raw, r => Assert.True(RecordCodec.IsEnveloped(r.Data.Span), "a record without envelope"));
        Assert.True(raw.Sum(r => r.Data.Length) * 4 < lines.Sum(l => l.Length), $"{raw.Sum(r => r.Data.Length)} bytes for {lines.Sum(l => l.Length)}");

        // A first worker checkpoints at a sub-record in the middle of the first aggregate, then goes away.
        var first = put.Where(p => p.Result.SequenceNumber == put[0].Result.SequenceNumber).ToList();
        Assert.True(first.Count > 10 && first.Count < put.Count, $"{first.Count} records in the first aggregate");
        var checkpointAt = first[first.Count / 2].Result.SubSequenceNumber;
        var stuck = new CheckpointThenStopProcessor(checkpointAt);
        using (var stopFirst = new CancellationTokenSource())
        {
            var worker = new KinesisConsumer(kit.Options("first"), new OneProcessorFactory(stuck));
            var firstRun = Task.Run(() => worker.RunAsync(stopFirst.Token));
            await stuck.Checkpointed.Task.WaitAsync(WorkerKit.Deadline);
            await stopFirst.CancelAsync();
            await firstRun.WaitAsync(WorkerKit.Deadline);
        }

        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var second = new KinesisConsumer(kit.Options("second"), new RecordingFactory(log, "second"));
        var run = Task.Run(() => second.RunAsync(stop.Token));
        var expected = put.Skip(checkpointAt + 1).ToList();
        await WorkerKit.WaitUntilAsync(() => log.Records.Count >= expected.Count, () => $"{log.Records.Count} of {expected.Count}");
        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);

        stuck.Release();

        // What the first worker saw, then everything after its checkpoint: the lines with the positions the producer reported.
        Assert.True(stuck.Seen.Count > checkpointAt);
        Assert.Equal(put.Take(stuck.Seen.Count).Select(p => (p.Line, p.Result.SequenceNumber, (long)p.Result.SubSequenceNumber)), stuck.Seen);
        Assert.Equal(
            expected.Select(p => (p.Line, p.Result.SequenceNumber, (long)p.Result.SubSequenceNumber)),
            log.Records.Select(r => (WorkerKit.Text(r.Record), r.Record.SequenceNumber, r.Record.SubSequenceNumber)));
        Assert.Equal(checkpointAt, Assert.Single(log.Initialized).Checkpoint.SubSequenceNumber);
    }

    private async Task<List<(string Line, PutResult Result)>> PutAsync(WorkerKit kit, List<string> lines)
    {
        await using var producer = new KinesisProducer(new KinesisProducerOptions
        {
            KinesisEndpoint = _aws.KinesisEndpoint,
            Region = _aws.Region,
            Credentials = _aws.Credentials,
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            Compression = RecordCompression.Zstd(),
            RecordMaxBufferedTime = TimeSpan.FromSeconds(1),
        });

        var results = await Task.WhenAll(lines.Select((line, i) => producer.PutAsync(kit.Stream, $"k{i % 5}", Encoding.UTF8.GetBytes(line))))
            .WaitAsync(WorkerKit.Deadline);
        return lines.Zip(results).OrderBy(p => p.Second.SequenceNumber.PadLeft(64, '0'), StringComparer.Ordinal)
            .ThenBy(p => p.Second.SubSequenceNumber).ToList();
    }

    private static async Task<IReadOnlyList<KinesisRecord>> ReadRawAsync(WorkerKit kit)
    {
        var shard = Assert.Single(await kit.Kinesis.ListAllShardsAsync(kit.Stream).WaitAsync(WorkerKit.Deadline));
        var iterator = await kit.Kinesis.GetShardIteratorAsync(
            new GetShardIteratorRequest { StreamName = kit.Stream, ShardId = shard.ShardId, IteratorType = ShardIteratorType.TrimHorizon }).WaitAsync(WorkerKit.Deadline);
        return (await kit.Kinesis.GetRecordsAsync(iterator).WaitAsync(WorkerKit.Deadline)).Records;
    }

    /// <summary>Records everything it is given; at one sub-record it checkpoints and stops taking more.</summary>
    private sealed class CheckpointThenStopProcessor(long subRecord) : IRecordProcessor
    {
        private readonly TaskCompletionSource _hang = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<(string, string, long)> Seen { get; } = [];

        public TaskCompletionSource Checkpointed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _hang.TrySetResult();

        public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
        {
            Seen.AddRange(input.Records.Select(r => (WorkerKit.Text(r), r.SequenceNumber, r.SubSequenceNumber)));
            var target = input.Records.FirstOrDefault(r => r.IsAggregated && r.SubSequenceNumber == subRecord);
            if (target is null)
            {
                return;
            }

            await input.Checkpointer.CheckpointAsync(target, cancellationToken);
            Checkpointed.TrySetResult();
            await _hang.Task;
        }

        public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class OneProcessorFactory(IRecordProcessor processor) : IRecordProcessorFactory
    {
        public IRecordProcessor CreateProcessor(string shardId) => processor;
    }
}
