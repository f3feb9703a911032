using System.Globalization;
using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Encryption;
using Kinesis.Clients.Producer;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Records the producer compressed and encrypted reach processors as they were put; ones that do not decrypt are reported, not passed off as data.</summary>
[Trait("Category", "Engine")]
public sealed class EncryptedRecordsTests : IClassFixture<LocalAwsFixture>
{
    private const int Lines = 600;
    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public EncryptedRecordsTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact(Timeout = 120_000)]
    public async Task Compressed_and_encrypted_records_arrive_as_put_with_one_data_key_and_one_decrypt_call()
    {
        await using var kms = await LoopbackKms.StartAsync();
        using var kmsClient = kms.CreateClient(maxErrorRetry: 2);
        kms.CreateKey("alias/orders");
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(1);
        var lines = LinesOf(Lines);
        var put = await PutAsync(kit, lines, new RecordEncryption("alias/orders") { KmsClient = kmsClient });

        var raw = await ReadRawAsync(kit);
        Assert.All(raw, r => Assert.Equal("F54B435A010201", Convert.ToHexString(r.Data.Span[..7])));
        Assert.All(raw, r => Assert.DoesNotContain("accepted", Encoding.UTF8.GetString(r.Data.Span), StringComparison.Ordinal));
        Assert.True(raw.Sum(r => r.Data.Length) * 3 < lines.Sum(l => l.Length), $"{raw.Sum(r => r.Data.Length)} bytes for {lines.Sum(l => l.Length)}");

        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var options = kit.Options("reader");
        options.Decryption = new RecordDecryption { KmsClient = kmsClient };
        var run = Task.Run(() => new KinesisConsumer(options, new RecordingFactory(log, "reader")).RunAsync(stop.Token));
        await WorkerKit.WaitUntilAsync(() => log.Records.Count >= put.Count, () => $"{log.Records.Count} of {put.Count}");
        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);

        Assert.Equal(
            put.Select(p => (p.Line, p.Result.SequenceNumber, (long)p.Result.SubSequenceNumber)),
            log.Records.Select(r => (WorkerKit.Text(r.Record), r.Record.SequenceNumber, r.Record.SubSequenceNumber)));
        Assert.All(log.Records, r => Assert.Null(r.Record.DecodeFailure));
        Assert.Equal(1, kms.Count(KmsOperation.GenerateDataKey));
        Assert.Equal(1, kms.Count(KmsOperation.Decrypt));
    }

    [Fact(Timeout = 120_000)]
    public async Task Records_whose_key_the_consumer_may_not_use_reach_the_processor_empty_with_the_reason_logged_once()
    {
        await using var kms = await LoopbackKms.StartAsync();
        using var kmsClient = kms.CreateClient(maxErrorRetry: 2);
        var key = kms.CreateKey();
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(1);
        var lines = LinesOf(40);
        var put = await PutAsync(
            kit, lines, new RecordEncryption(key.Arn) { KmsClient = kmsClient, MaxRecordsPerDataKey = 1 }, aggregate: false);
        kms.Deny(key, KmsOperation.Decrypt);

        var logger = new TestLogger(_output);
        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var options = kit.Options("reader");
        options.Decryption = new RecordDecryption { KmsClient = kmsClient };
        options.LoggerFactory = new OneLoggerFactory(logger);
        var run = Task.Run(() => new KinesisConsumer(options, new RecordingFactory(log, "reader")).RunAsync(stop.Token));
        await WorkerKit.WaitUntilAsync(() => log.Records.Count >= put.Count, () => $"{log.Records.Count} of {put.Count}");
        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);

        Assert.Equal(put.Select(p => p.Result.SequenceNumber), log.Records.Select(r => r.Record.SequenceNumber));
        Assert.All(log.Records, r =>
        {
            Assert.True(r.Record.Data.IsEmpty);
            Assert.Contains("AccessDeniedException", r.Record.DecodeFailure, StringComparison.Ordinal);
        });

        // Forty data keys, each refused once; the refusal logged once for the key.
        Assert.Equal(lines.Count, kms.Count(KmsOperation.Decrypt, "AccessDeniedException"));
        Assert.Contains(key.Arn, Assert.Single(logger.WithId(1201)).Message, StringComparison.Ordinal);
    }

    private static List<string> LinesOf(int count) => Enumerable.Range(0, count).Select(i => string.Create(
        CultureInfo.InvariantCulture, $"2026-12-07T09:00:{i % 60:00}Z INFO [worker-{i % 4}] order {1000 + i} accepted in {i % 90} ms")).ToList();

    private async Task<List<(string Line, PutResult Result)>> PutAsync(WorkerKit kit, List<string> lines, RecordEncryption encryption, bool aggregate = true)
    {
        await using var producer = new KinesisProducer(new KinesisProducerOptions
        {
            KinesisEndpoint = _aws.KinesisEndpoint,
            Region = _aws.Region,
            Credentials = _aws.Credentials,
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            Compression = RecordCompression.Zstd(),
            Encryption = encryption,
            AggregationEnabled = aggregate,
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
}
