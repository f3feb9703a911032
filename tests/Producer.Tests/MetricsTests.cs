using System.Diagnostics.Metrics;
using System.Text;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>The KPL's metrics, on the producer's meter and uploaded to (loopback) CloudWatch with KPL semantics.</summary>
[Trait("Category", "Engine")]
public sealed class MetricsTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public MetricsTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Detailed_shard_metrics_reach_cloudwatch_at_every_level_with_exact_counts()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 2);
        await using var cloudWatch = await LoopbackCloudWatch.StartAsync();
        var options = Options(_aws);
        options.MetricsLevel = MetricsLevel.Detailed;
        options.MetricsGranularity = MetricsGranularity.Shard;
        options.CloudWatchEndpoint = cloudWatch.Endpoint;

        const int Count = 500;
        await using (var producer = new KinesisProducer(options))
        {
            await Task.WhenAll(Enumerable.Range(0, Count).Select(i => producer.PutAsync(stream, $"k{i}", Encoding.UTF8.GetBytes($"v{i}")))).WaitAsync(Deadline);
        }

        // Disposing flushes the last interval.
        var data = cloudWatch.Calls.SelectMany(c =>
        {
            Assert.Equal("KinesisProducerLibrary", c.Namespace);
            return c.Data;
        }).ToList();
        var put = data.Where(d => d.MetricName == "UserRecordsPut").ToList();
        var global = Assert.Single(put, d => d.Dimensions.Count == 0);
        Assert.Equal(Count, global.StatisticValues!.Value.Sum);
        var perStream = Assert.Single(put, d => d.Dimensions.Count == 1);
        Assert.Equal(new MetricDimension("StreamName", stream), perStream.Dimensions[0]);
        Assert.Equal(Count, perStream.StatisticValues!.Value.Sum);
        var perShard = put.Where(d => d.Dimensions.Count == 2).ToList();
        Assert.Equal(2, perShard.Count);
        Assert.Equal(Count, perShard.Sum(d => d.StatisticValues!.Value.Sum));
        Assert.All(perShard, d => Assert.Contains(d.Dimensions, x => x.Name == "ShardId"));

        // Detailed-only and stream-capped metrics are there, at the levels the KPL gives them.
        Assert.Contains(data, d => d.MetricName == "UserRecordsDataPut");
        Assert.DoesNotContain(data, d => d.MetricName == "RequestTime" && d.Dimensions.Any(x => x.Name == "ShardId"));
        Assert.Contains(data, d => d.MetricName == "RequestTime" && d.Unit == MetricUnit.Milliseconds);
    }

    [Fact]
    public async Task Summary_level_leaves_out_detailed_metrics_and_none_uploads_nothing()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        await using var cloudWatch = await LoopbackCloudWatch.StartAsync();

        var summary = Options(_aws);
        summary.MetricsLevel = MetricsLevel.Summary;
        summary.MetricsGranularity = MetricsGranularity.Global;
        summary.CloudWatchEndpoint = cloudWatch.Endpoint;
        await using (var producer = new KinesisProducer(summary))
        {
            await producer.PutAsync(stream, "k", "v"u8.ToArray()).WaitAsync(Deadline);
        }

        var names = cloudWatch.Calls.SelectMany(c => c.Data).ToList();
        Assert.Contains(names, d => d.MetricName == "UserRecordsPut");
        Assert.DoesNotContain(names, d => d.MetricName is "UserRecordsDataPut" or "RequestTime" or "UserRecordsPerKinesisRecord");
        Assert.All(names, d => Assert.DoesNotContain(d.Dimensions, x => x.Name is "StreamName" or "ShardId"));

        var before = cloudWatch.Attempts;
        var none = Options(_aws);
        none.MetricsLevel = MetricsLevel.None;
        none.CloudWatchEndpoint = cloudWatch.Endpoint;
        await using (var producer = new KinesisProducer(none))
        {
            await producer.PutAsync(stream, "k", "v"u8.ToArray()).WaitAsync(Deadline);
        }

        Assert.Equal(before, cloudWatch.Attempts);
    }

    [Fact]
    public async Task A_failing_cloudwatch_does_not_hold_up_records()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        await using var cloudWatch = await LoopbackCloudWatch.StartAsync();
        cloudWatch.FailNext(1000, CloudWatchFault.InternalFailure);
        var options = Options(_aws);
        options.MetricsLevel = MetricsLevel.Detailed;
        options.MetricsUploadDelay = TimeSpan.FromSeconds(1);
        options.CloudWatchEndpoint = cloudWatch.Endpoint;
        var failures = CollectFailures(options);

        await using (var producer = new KinesisProducer(options))
        {
            for (var round = 0; round < 3; round++)
            {
                await Task.WhenAll(Enumerable.Range(0, 50).Select(i => producer.PutAsync(stream, $"k{i}", "v"u8.ToArray()))).WaitAsync(Deadline);
                await Task.Delay(600);
            }

            await cloudWatch.WaitForAttemptsAsync(1, Deadline);
        }

        Assert.Empty(failures);
        Assert.Equal(150, (await ReadAllAsync(client, stream)).Count);
        Assert.Empty(cloudWatch.Calls);
    }

    [Fact]
    public async Task The_producer_meter_carries_the_kpl_instrument_names()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        var seen = new HashSet<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Kinesis.Clients.Producer")
            {
                lock (seen)
                {
                    seen.Add(instrument.Name);
                }
            }
        };
        listener.Start();

        await using (var producer = new KinesisProducer(Options(_aws)))
        {
            await producer.PutAsync(stream, "k", "v"u8.ToArray()).WaitAsync(Deadline);
        }

        foreach (var name in new[]
        {
            "UserRecordsReceived", "UserRecordsPending", "UserRecordsPut", "UserRecordsDataPut", "KinesisRecordsPut",
            "KinesisRecordsDataPut", "ErrorsByCode", "AllErrors", "RetriesPerRecord", "UserRecordExpired", "BufferingTime",
            "RequestTime", "UserRecordsPerKinesisRecord", "KinesisRecordsPerPutRecordsRequest", "UserRecordsPerPutRecordsRequest",
        })
        {
            Assert.Contains(name, seen);
        }
    }
}
