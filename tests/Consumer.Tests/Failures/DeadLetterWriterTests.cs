using System.Text;
using Kinesis.Clients.Consumer.Failures;

namespace Kinesis.Clients.Consumer.Tests.Failures;

/// <summary>The dead-letter writer through the limits proxy: throttled entries and failed calls are resent until all are stored.</summary>
[Trait("Category", "Engine")]
public sealed class DeadLetterWriterTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 120_000)]
    public async Task Throttled_entries_and_a_failed_call_are_resent_until_every_record_is_stored_once()
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint, new LimitsProxyOptions { WriteRecordsPerSecond = 200 }).WaitAsync(Deadline);
        using var client = new KinesisClient(new KinesisClientOptions { ServiceUrl = proxy.Endpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        using var direct = new KinesisClient(new KinesisClientOptions { ServiceUrl = _aws.KinesisEndpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        await using var stream = await _aws.NewStreamAsync(1, "dlq", through: direct).WaitAsync(Deadline);
        var records = Enumerable.Range(0, 600)
            .Select(i => new ConsumerRecord((1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), 0, $"k{i}", null, DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes($"d{i}"), isAggregated: false))
            .ToList();
        var failure = new FailedBatch("shardId-000000000003", records, new FormatException("bad"), 4);
        var writer = new DeadLetterWriter(client, stream, "app", TimeProvider.System);
        proxy.Faults.FailNext(1, 500, "PutRecords", "InternalFailure");

        await writer.WriteAsync(StreamIdentifier.SingleStream("orders"), failure, CancellationToken.None).WaitAsync(Deadline);

        var stats = proxy.Stats;
        Assert.True(stats.ThrottledPutRecordsEntries > 0, "no entry was throttled, so the test proved nothing");
        var written = await StreamContents.ReadAllAsync(direct, stream).WaitAsync(Deadline);
        var decoded = written.Select(w => (w.PartitionKey, Record: DeadLetterRecord.Decode(w.Data))).ToList();
        Assert.Equal(records.Select(r => r.PartitionKey).Order(), decoded.Select(d => d.PartitionKey).Order());
        Assert.All(decoded, d => Assert.Equal("d" + d.PartitionKey[1..], Encoding.UTF8.GetString(d.Record.Data.Span)));
        Assert.All(decoded, d => Assert.Equal(("orders", "shardId-000000000003", 4), (d.Record.StreamName, d.Record.ShardId, d.Record.Attempts)));
    }
}
