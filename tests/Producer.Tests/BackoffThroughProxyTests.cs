using System.Diagnostics;
using System.Text;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>
/// Through the limits proxy: the waits between a throttled record's attempts, as its result reports them, grow as
/// RetryBaseDelay's jittered exponential allows and stay at RetryMaxDelay once there.
/// </summary>
[Trait("Category", "Engine")]
public sealed class BackoffThroughProxyTests : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan BaseDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(800);

    // A timer may fire up to a millisecond before its due time (it counts whole milliseconds).
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(2);

    // A wait measured from the result is the backoff plus the time to get a connection slot and run the attempt's
    // first lines: nothing on an idle machine, but a loaded one can stall a thread (half a second was seen). Only the
    // cap check needs this; uncapped, the 7th wait alone is 4.5 s at the median and the later ones grow from there.
    private static readonly TimeSpan LoadAllowance = TimeSpan.FromSeconds(2);

    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public BackoffThroughProxyTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact]
    public async Task A_throttled_records_waits_grow_to_RetryMaxDelay_and_stay_there()
    {
        // 13 waits: the first four grow from about 0.07 s to 0.57 s, the others are (almost always) the cap.
        const int Attempts = 14;
        const int Count = 5;
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        var shard = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).Single();
        proxy.Faults.ThrottledShards = [shard.ShardId];

        var options = Options(_aws, proxy.Endpoint);
        options.AggregationEnabled = false;
        options.RetryBaseDelay = BaseDelay;
        options.RetryMaxDelay = MaxDelay;
        options.RecordTtl = TimeSpan.FromMinutes(2);

        // The records are put long before their linger runs out, so they travel in one request and share its waits.
        options.RecordMaxBufferedTime = TimeSpan.FromSeconds(1);
        var failures = CollectFailures(options);

        await using var producer = new KinesisProducer(options);
        var puts = Enumerable.Range(0, Count).Select(i => producer.PutAsync(stream, $"k{i}", Encoding.UTF8.GetBytes($"r{i}"))).ToList();

        // Refused until each record has had Attempts - 1 attempts. With the waits uncapped that takes minutes: then
        // the throttling ends after a minute, and the waits below say what went wrong.
        var refused = Count * (Attempts - 1);
        var clock = Stopwatch.StartNew();
        while (proxy.Stats.ThrottledPutRecordsEntries < refused && clock.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(20);
        }

        proxy.Faults.ThrottledShards = [];
        var results = await Task.WhenAll(puts).WaitAsync(Deadline);

        Assert.Empty(failures);
        foreach (var result in results)
        {
            // The first attempt's delay is the record's buffering; each later one the wait before that attempt.
            var waits = result.Attempts.Skip(1).Select(a => a.Delay).ToList();
            var shown = string.Join(", ", waits.Select(w => $"{w.TotalMilliseconds:0}"));
            _output.WriteLine($"{result.Attempts.Count} attempts, waits (ms): {shown}");

            // Capped: no wait much over RetryMaxDelay.
            Assert.All(waits, w => Assert.True(w <= MaxDelay + LoadAllowance, $"a wait of {w.TotalMilliseconds:0} ms, over RetryMaxDelay {MaxDelay.TotalMilliseconds} ms: [{shown}]"));

            Assert.True(result.Attempts.Count >= Attempts, $"{result.Attempts.Count} attempts, expected {Attempts} or more: [{shown}]");
            Assert.All(result.Attempts.SkipLast(1), a => Assert.Equal("ProvisionedThroughputExceededException", a.ErrorCode));
            Assert.True(result.Attempts[^1].Succeeded);

            // Growing: the waits add up to at least what the algorithm guarantees after each of them. A slow machine
            // only makes them longer.
            var total = TimeSpan.Zero;
            for (var k = 1; k <= waits.Count; k++)
            {
                total += waits[k - 1];
                var least = BackoffBounds.LeastTotal(k, BaseDelay, MaxDelay) - (TimerSlack * k);
                Assert.True(total >= least, $"the first {k} waits add up to {total.TotalMilliseconds:0} ms, under the {least.TotalMilliseconds:0} ms the backoff guarantees: [{shown}]");
            }

            // And reaching the cap: from the 6th wait on an uncapped wait is under 0.8 s in 13 % of cases at most
            // (the 6th), under 1 % from the 8th; eight of them at a constant backoff would add up to about 1 s.
            var late = waits.Skip(5).Take(8).ToList();
            var lateTotal = late.Aggregate(TimeSpan.Zero, (a, w) => a + w);
            var lateLeast = (MaxDelay * (late.Count - 2)) - (TimerSlack * late.Count);
            Assert.True(lateTotal >= lateLeast, $"waits 6 to {5 + late.Count} add up to {lateTotal.TotalMilliseconds:0} ms, under {lateLeast.TotalMilliseconds:0} ms: not at the cap [{shown}]");
        }
    }
}
