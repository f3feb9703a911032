using System.Diagnostics;
using Kinesis.Clients.Producer.Limits;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>
/// The per-shard limiter, through the limits proxy (the service's limits, charged when a request arrives): held
/// below the shard's limit, the service never has to throttle, however long the producer is offered more.
/// </summary>
/// <remarks>
/// The proxy runs standalone (it answers ListShards and PutRecords itself and keeps counts): what is tested is what
/// reaches a shard and when, and kinesis-mock behind it could not take a sustained 1,900 records a second on a busy
/// machine. It runs with the engine-backed tests, not with the quick unit tests.
/// </remarks>
[Trait("Category", "Engine")]
public sealed class RateLimitThroughProxyTests
{
    private const int Shards = 2;
    private const int RateLimit = 95;
    private const string Stream = "limited";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(5);

    private readonly ITestOutputHelper _output;

    public RateLimitThroughProxyTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task RateLimit_95_offered_more_than_the_shards_take_for_over_15_s_is_never_throttled()
    {
        // The service's own limits and burst (one second's worth), charged when a request arrives.
        await using var proxy = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of(Stream, Shards));
        var credentials = new Amazon.Runtime.BasicAWSCredentials("AKIDLOCAL", "secret");
        var options = new KinesisProducerOptions
        {
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            KinesisEndpoint = proxy.Endpoint,
            Region = "us-east-1",
            Credentials = credentials,
            RateLimit = RateLimit,
            AggregationEnabled = false,

            // A busy machine can stall a request for seconds; waiting is not what is tested here.
            RecordTtl = TimeSpan.FromMinutes(5),
            RequestTimeout = TimeSpan.FromSeconds(30),
        };
        var failures = ProducerEngine.CollectFailures(options);
        using var client = new KinesisClient(new KinesisClientOptions { ServiceUrl = proxy.Endpoint, Region = "us-east-1", Credentials = credentials });

        // Everything is offered at once: each shard always has more ready than its limit lets through, for
        // (16,000 - 950) / 950 = 18 s at the least.
        var perShard = (int)ShardRateLimiter.ShardRecordsPerSecond * RateLimit / 100;
        const int Count = 32_000;
        var keys = await KeysPerShardAsync(client);
        var clock = Stopwatch.StartNew();
        await using (var producer = new KinesisProducer(options))
        {
            for (var i = 0; i < Count; i++)
            {
                var (key, hashKey) = keys[i % Shards];
                await producer.EnqueueAsync(Stream, key, BitConverter.GetBytes(i), hashKey).AsTask().WaitAsync(Deadline);
            }

            await producer.FlushAsync().WaitAsync(Deadline);
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
    private static async Task<(string Key, string HashKey)[]> KeysPerShardAsync(KinesisClient client)
    {
        var shards = await client.ListAllShardsAsync(Stream).WaitAsync(Deadline);
        return [.. shards.OrderBy(s => s.HashKeyRange.StartingHashKey).Select((s, i) => ($"k{i}", s.HashKeyRange.StartingHashKey.ToString()))];
    }
}
