using System.Text;
using Kinesis.Clients.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>Flush, dispose, fire-and-forget, bad input and dependency injection.</summary>
[Trait("Category", "Engine")]
public sealed class LifecycleTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public LifecycleTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Dispose_drains_records_put_without_waiting()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 2);
        var options = Options(_aws);
        options.RecordMaxBufferedTime = TimeSpan.FromSeconds(10);
        var failures = CollectFailures(options);

        await using (var producer = new KinesisProducer(options))
        {
            for (var i = 0; i < 1_000; i++)
            {
                await producer.EnqueueAsync(stream, $"k{i}", Encoding.UTF8.GetBytes($"v{i}"));
            }

            Assert.Equal(1_000, producer.OutstandingRecords);
        }

        Assert.Empty(failures);
        var read = await ReadAllAsync(client, stream);
        Assert.Equal(Enumerable.Range(0, 1_000).Select(i => $"v{i}").Order(), read.Select(r => Encoding.UTF8.GetString(r.User.Data.Span)).Order());
    }

    [Fact]
    public async Task Records_put_while_the_producer_is_disposed_each_arrive_or_are_reported_failed_never_both_never_neither()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 2);
        // The default ShutdownTimeout lets every record accepted before the dispose be acknowledged: a failure can only
        // be a record that slipped in while the producer stopped, never one both stored and failed.
        var options = Options(_aws);
        var failures = CollectFailures(options);
        var accepted = new System.Collections.Concurrent.ConcurrentBag<string>();

        var producer = new KinesisProducer(options);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; ; i++)
            {
                var key = $"w{w}-{i}";
                try
                {
                    await producer.EnqueueAsync(stream, key, Encoding.UTF8.GetBytes(key));
                }
                catch (ObjectDisposedException)
                {
                    return;
                }

                accepted.Add(key);
            }
        })).ToArray();
        using (var started = new CancellationTokenSource(Deadline))
        {
            while (accepted.Count < 5_000)
            {
                await Task.Delay(5, started.Token);
            }
        }

        await producer.DisposeAsync();
        await Task.WhenAll(writers).WaitAsync(Deadline);

        var read = (await ReadAllAsync(client, stream)).Select(r => r.User.PartitionKey).ToList();
        var failed = failures.Select(f => f.PartitionKey).ToList();
        Assert.All(failures, f => Assert.Equal(RecordFailure.ProducerDisposed, f.ErrorCode));
        Assert.Equal(accepted.Order(), read.Concat(failed).Order());
    }

    [Fact]
    public async Task Flush_sends_at_once_and_waits_for_the_records_put_before_it()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        var options = Options(_aws);
        options.RecordMaxBufferedTime = TimeSpan.FromSeconds(20);
        options.RecordTtl = TimeSpan.FromSeconds(60);
        await using var producer = new KinesisProducer(options);

        var puts = Enumerable.Range(0, 10).Select(i => producer.PutAsync(stream, "k", Encoding.UTF8.GetBytes($"v{i}"))).ToList();
        await producer.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(puts, p => Assert.True(p.IsCompletedSuccessfully));
        Assert.Equal(0, producer.OutstandingRecords);
        Assert.Equal(10, (await ReadAllAsync(client, stream)).Count);
    }

    [Fact]
    public async Task Bad_arguments_fail_that_call_at_once_and_nothing_else()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        await using var producer = new KinesisProducer(Options(_aws));

        var good = producer.PutAsync(stream, "ok", "fine"u8.ToArray());
        var badKey = await Assert.ThrowsAsync<ArgumentException>(() => producer.PutAsync(stream, "", "x"u8.ToArray()));
        Assert.Equal("partitionKey", badKey.ParamName);
        var longKey = await Assert.ThrowsAsync<ArgumentException>(() => producer.PutAsync(stream, new string('k', 257), "x"u8.ToArray()));
        Assert.Contains("256", longKey.Message, StringComparison.Ordinal);
        var badHash = await Assert.ThrowsAsync<ArgumentException>(() => producer.PutAsync(stream, "k", "x"u8.ToArray(), "-5"));
        Assert.Equal("explicitHashKey", badHash.ParamName);
        var tooBig = await Assert.ThrowsAsync<ArgumentException>(() => producer.PutAsync(stream, "k", new byte[1024 * 1024]));
        Assert.Equal("data", tooBig.ParamName);
        var badStream = await Assert.ThrowsAsync<ArgumentException>(() => producer.PutAsync("no spaces allowed", "k", "x"u8.ToArray()));
        Assert.Equal("streamName", badStream.ParamName);
        await Assert.ThrowsAsync<ArgumentException>(async () => await producer.EnqueueAsync(stream, "", "x"u8.ToArray()));

        var result = await good.WaitAsync(Deadline);
        Assert.StartsWith("shardId-", result.ShardId, StringComparison.Ordinal);
        await producer.FlushAsync().WaitAsync(Deadline);
        Assert.Single(await ReadAllAsync(client, stream));
    }

    [Fact]
    public async Task A_stream_that_does_not_exist_fails_its_records_when_their_ttl_passes_with_the_reason()
    {
        var options = Options(_aws);
        options.RecordTtl = TimeSpan.FromSeconds(2);
        var failures = CollectFailures(options);
        await using var producer = new KinesisProducer(options);

        var missing = LocalAws.UniqueName("missing");
        var ex = await Assert.ThrowsAsync<RecordFailedException>(() => producer.PutAsync(missing, "k", "x"u8.ToArray())).WaitAsync(Deadline);

        Assert.Equal(RecordFailure.Expired, ex.Failure.ErrorCode);
        Assert.Contains("ResourceNotFound", ex.Failure.ErrorMessage, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => failures.Count == 1, () => $"one failure reported, saw {failures.Count}", Deadline);
    }

    [Fact]
    public async Task Puts_after_dispose_are_refused()
    {
        var producer = new KinesisProducer(Options(_aws));
        await producer.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => producer.PutAsync("s", "k", "x"u8.ToArray()));
    }

    [Fact]
    public async Task AddKinesisProducer_registers_one_shared_producer_that_the_container_disposes()
    {
        var services = new ServiceCollection();
        services.AddKinesisProducer(o =>
        {
            o.KinesisEndpoint = _aws.KinesisEndpoint;
            o.Region = _aws.Region;
            o.Credentials = _aws.Credentials;
            o.RecordMaxBufferedTime = TimeSpan.FromMilliseconds(20);
            o.MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None;
        });
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);

        await using (var provider = services.BuildServiceProvider())
        {
            var producer = provider.GetRequiredService<KinesisProducer>();
            Assert.Same(producer, provider.GetRequiredService<KinesisProducer>());
            await producer.EnqueueAsync(stream, "k", "from di"u8.ToArray());
        }

        Assert.Equal("from di", Encoding.UTF8.GetString(Assert.Single(await ReadAllAsync(client, stream)).User.Data.Span));
    }

}
