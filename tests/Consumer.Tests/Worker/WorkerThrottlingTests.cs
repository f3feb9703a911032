using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>A worker reading through Kinesis' per-shard read limits.</summary>
[Trait("Category", "Engine")]
public sealed class WorkerThrottlingTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public WorkerThrottlingTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact(Timeout = 90_000)]
    public async Task Throttled_reads_back_off_and_every_record_is_still_processed()
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(2);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint, new LimitsProxyOptions { ReadCallsPerSecond = 2 }).WaitAsync(WorkerKit.Deadline);

        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var options = kit.Options("w1", proxy.Endpoint);
        options.MaxRecords = 10;
        var worker = new KinesisConsumer(options, new RecordingFactory(log, "w1"));
        var run = Task.Run(() => worker.RunAsync(stop.Token));

        var expected = await kit.PutPlainAsync("r", 150);
        await WorkerKit.WaitUntilAsync(
            () => log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count() == expected.Count,
            () => $"{log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count()} of {expected.Count} records, {proxy.Stats.ThrottledGetRecordsRequests} reads throttled");
        var stats = proxy.Stats;
        _output.WriteLine($"GetRecords {stats.RequestsFor("GetRecords")}, throttled {stats.ThrottledGetRecordsRequests}");

        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);

        Assert.True(stats.ThrottledGetRecordsRequests > 0, "no read was throttled, so the test proved nothing");
        Assert.Equal(expected.Order(StringComparer.Ordinal), log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(1, log.MaxConcurrentPerShard);
    }
}
