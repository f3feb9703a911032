using System.Text;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>Through the limits proxy: the real shard limits, injected 500s, resets and failed entries.</summary>
[Trait("Category", "Engine")]
public sealed class ThrottlingAndFaultTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public ThrottlingAndFaultTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact]
    public async Task Several_times_a_shards_capacity_arrives_whole_with_backoff_in_the_attempts()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        var options = Options(_aws, proxy.Endpoint);

        // Let the producer offer 4x what the shard takes, so the service side (the proxy) throttles.
        options.RateLimit = 400;
        var failures = CollectFailures(options);

        const int Count = 2_400;
        var payload = new byte[1000];
        PutResult[] results;
        await using (var producer = new KinesisProducer(options))
        {
            results = await Task.WhenAll(Enumerable.Range(0, Count).Select(i =>
            {
                var data = (byte[])payload.Clone();
                BitConverter.TryWriteBytes(data, i);
                return producer.PutAsync(stream, $"k{i % 50}", data);
            })).WaitAsync(Deadline);
        }

        Assert.Empty(failures);
        var stats = proxy.Stats;
        _output.WriteLine($"PutRecords requests {stats.PutRecordsRequests}, throttled share {stats.ThrottledPutRecordsRequestShare:P1}, throttled entries {stats.ThrottledPutRecordsEntries}");
        Assert.True(stats.ThrottledPutRecordsEntries > 0, "the proxy should have throttled some entries");

        var retried = results.Where(r => r.Attempts.Count > 1).ToList();
        Assert.NotEmpty(retried);
        Assert.All(retried, r =>
        {
            Assert.Contains(r.Attempts, a => a.ErrorCode == "ProvisionedThroughputExceededException");
            Assert.True(r.Attempts[1].Delay > TimeSpan.Zero, "a retry waits before it is sent");
        });

        var read = await ReadAllAsync(client, stream);
        Assert.Equal(Count, read.Count);
        Assert.Equal(Enumerable.Range(0, Count), read.Select(r => BitConverter.ToInt32(r.User.Data.Span)).Order());
    }

    [Fact]
    public async Task Injected_500s_resets_and_failed_entries_lose_nothing_within_the_ttl()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 2);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        proxy.Faults.RateOperation = "PutRecords";
        proxy.Faults.FailureRate = 0.2;
        proxy.Faults.ResetRate = 0.1;
        proxy.Faults.EntryFailureRate = 0.1;
        var options = Options(_aws, proxy.Endpoint);
        options.RecordMaxBufferedTime = TimeSpan.FromMilliseconds(20);
        options.AggregationEnabled = false;
        options.CollectionMaxCount = 10;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
        var failures = CollectFailures(options);

        const int Count = 1_500;
        PutResult[] results;
        await using (var producer = new KinesisProducer(options))
        {
            results = await Task.WhenAll(Enumerable.Range(0, Count)
                .Select(i => producer.PutAsync(stream, $"k{i}", Encoding.UTF8.GetBytes($"r{i}")))).WaitAsync(Deadline);
        }

        Assert.Empty(failures);
        var stats = proxy.Stats;
        _output.WriteLine($"injected: {stats.InjectedFailures} failures, {stats.InjectedResets} resets, {stats.InjectedEntryFailures} entry failures");
        Assert.True(stats.InjectedFailures > 0 && stats.InjectedResets > 0 && stats.InjectedEntryFailures > 0, "every kind of fault was injected");
        var codes = results.SelectMany(r => r.Attempts).Where(a => !a.Succeeded).Select(a => a.ErrorCode).ToHashSet();
        Assert.Contains("InternalFailure", codes);
        Assert.Contains("NetworkError", codes);

        var read = await ReadAllAsync(client, stream);
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"r{i}").Order(), read.Select(r => Encoding.UTF8.GetString(r.User.Data.Span)).Distinct().Order());
    }

    [Fact]
    public async Task Records_that_outlive_their_ttl_are_reported_expired_exactly_once()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        proxy.Faults.RateOperation = "PutRecords";
        proxy.Faults.FailureRate = 1.0;
        var options = Options(_aws, proxy.Endpoint);
        options.RecordTtl = TimeSpan.FromSeconds(1.5);
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        var failures = CollectFailures(options);

        const int Count = 300;
        var puts = new List<Task<PutResult>>();
        await using (var producer = new KinesisProducer(options))
        {
            for (var i = 0; i < Count; i++)
            {
                puts.Add(producer.PutAsync(stream, $"k{i}", Encoding.UTF8.GetBytes($"r{i}")));
            }

            foreach (var put in puts)
            {
                var ex = await Assert.ThrowsAsync<RecordFailedException>(() => put).WaitAsync(Deadline);
                Assert.Equal(RecordFailure.Expired, ex.Failure.ErrorCode);
                // Retried until the TTL ran out (on a loaded machine the first attempt alone may use it up).
                Assert.NotEmpty(ex.Failure.Attempts);
                Assert.All(ex.Failure.Attempts, a => Assert.Equal("InternalFailure", a.ErrorCode));
            }
        }

        Assert.Equal(Count, failures.Count);
        Assert.Equal(Count, failures.Select(f => Encoding.UTF8.GetString(f.Data.Span)).Distinct().Count());
        Assert.Empty(await ReadAllAsync(client, stream));
    }

    [Fact]
    public async Task FailIfThrottled_fails_throttled_records_at_once()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint, new LimitsProxyOptions { WriteRecordsPerSecond = 5 });
        var options = Options(_aws, proxy.Endpoint);
        options.FailIfThrottled = true;
        options.AggregationEnabled = false;
        options.RateLimit = 10_000;
        var failures = CollectFailures(options);

        await using (var producer = new KinesisProducer(options))
        {
            for (var i = 0; i < 50; i++)
            {
                await producer.EnqueueAsync(stream, $"k{i}", "x"u8.ToArray());
            }
        }

        Assert.NotEmpty(failures);
        Assert.All(failures, f =>
        {
            Assert.Equal("ProvisionedThroughputExceededException", f.ErrorCode);
            Assert.Single(f.Attempts);
        });
        Assert.Equal(50 - failures.Count, (await ReadAllAsync(client, stream)).Count);
    }

    [Fact]
    public async Task Preserved_shard_order_survives_failed_entries_and_retries()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 2);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        proxy.Faults.EntryFailureRate = 0.3;
        var options = Options(_aws, proxy.Endpoint);
        options.PreserveShardOrder = true;
        options.AggregationMaxSize = 1024;
        options.RecordMaxBufferedTime = TimeSpan.FromMilliseconds(10);
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        var failures = CollectFailures(options);

        const int PerKey = 400;
        var keys = new[] { "alpha", "beta", "gamma" };
        await using (var producer = new KinesisProducer(options))
        {
            for (var i = 0; i < PerKey; i++)
            {
                foreach (var key in keys)
                {
                    await producer.EnqueueAsync(stream, key, Encoding.UTF8.GetBytes($"{key}:{i:D5}:" + new string('p', 40)));
                }
            }
        }

        Assert.Empty(failures);
        Assert.True(proxy.Stats.InjectedEntryFailures > 0);
        var read = await ReadAllAsync(client, stream);
        foreach (var key in keys)
        {
            var order = read.Where(r => r.User.PartitionKey == key)
                .OrderBy(r => System.Numerics.BigInteger.Parse(r.SequenceNumber, System.Globalization.CultureInfo.InvariantCulture))
                .ThenBy(r => r.User.SubSequenceNumber)
                .Select(r => int.Parse(Encoding.UTF8.GetString(r.User.Data.Span).Split(':')[1], System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            Assert.Equal(Enumerable.Range(0, PerKey), order);
        }
    }
}
