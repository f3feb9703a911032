using System.Diagnostics;
using Kinesis.Clients.Producer.Limits;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>
/// The per-shard limiter, through the limits proxy (the service's limits, charged when a request arrives): held
/// below the shard's limit, the service never has to throttle, however long the producer is offered more.
/// </summary>
[Trait("Category", "Engine")]
public sealed class RateLimitThroughProxyTests : IClassFixture<LocalAwsFixture>
{
    private const int Shards = 2;
    private const int RateLimit = 95;

    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public RateLimitThroughProxyTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact]
    public async Task RateLimit_95_offered_more_than_the_shards_take_for_over_15_s_is_never_throttled()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, Shards);

        // The service's own limits and burst (one second's worth), charged when a request arrives.
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        var options = Options(_aws, proxy.Endpoint);
        options.RateLimit = RateLimit;
        options.AggregationEnabled = false;

        // kinesis-mock on a busy machine can take seconds per request; waiting is not what is tested here.
        options.RecordTtl = TimeSpan.FromMinutes(5);
        options.RequestTimeout = TimeSpan.FromSeconds(30);
        var failures = CollectFailures(options);

        // Everything is offered at once: each shard always has more ready than its limit lets through, for
        // (16,000 - 950) / 950 = 18 s at the least.
        var perShard = (int)ShardRateLimiter.ShardRecordsPerSecond * RateLimit / 100;
        const int Count = 32_000;
        var keys = await KeysPerShardAsync(client, stream);
        var clock = Stopwatch.StartNew();
        await using (var producer = new KinesisProducer(options))
        {
            for (var i = 0; i < Count; i++)
            {
                var (key, hashKey) = keys[i % Shards];
                await producer.EnqueueAsync(stream, key, BitConverter.GetBytes(i), hashKey).AsTask().WaitAsync(TimeSpan.FromMinutes(5));
            }

            await producer.FlushAsync().WaitAsync(TimeSpan.FromMinutes(5));
        }

        var elapsed = clock.Elapsed;
        Assert.True(failures.IsEmpty, failures.FirstOrDefault()?.ErrorMessage);
        var stats = proxy.Stats;
        _output.WriteLine(
            $"{Count} records in {elapsed.TotalSeconds:0.0} s ({Count / elapsed.TotalSeconds / Shards:0} a second a shard); " +
            $"PutRecords requests {stats.PutRecordsRequests}, throttled entries {stats.ThrottledPutRecordsEntries}; " +
            string.Join(", ", stats.Shards.Select(s => $"{s.ShardId}: {s.AcceptedRecords} accepted, {s.ThrottledWrites} throttled")));
        Assert.Equal(Count, stats.AcceptedRecords);
        Assert.Equal(0, stats.ThrottledPutRecordsEntries);

        // The limiter, not the backend, set the pace: no shard took its records faster than RateLimit allows
        // (a full second's worth at once, then the rate).
        var busiest = stats.Shards.Max(s => s.AcceptedRecords);
        var least = TimeSpan.FromSeconds((double)(busiest - perShard) / perShard);
        Assert.True(elapsed >= least, $"{busiest} records into one shard in {elapsed.TotalSeconds:0.00} s: faster than RateLimit {RateLimit} allows ({least.TotalSeconds:0.00} s)");
    }

    /// <summary>One explicit hash key per shard (its range's start), so each shard gets the same share.</summary>
    private static async Task<(string Key, string HashKey)[]> KeysPerShardAsync(KinesisClient client, string stream)
    {
        var shards = await client.ListAllShardsAsync(stream).WaitAsync(Deadline);
        return [.. shards.OrderBy(s => s.HashKeyRange.StartingHashKey).Select((s, i) => ($"k{i}", s.HashKeyRange.StartingHashKey.ToString()))];
    }
}
