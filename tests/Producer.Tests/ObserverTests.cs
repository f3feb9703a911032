using System.Collections.Concurrent;
using System.Text;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>Records put with an <see cref="IPutObserver"/>: one outcome per record, with its token.</summary>
[Trait("Category", "Engine")]
public sealed class ObserverTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public ObserverTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Every_observed_record_is_reported_stored_once_with_the_shard_it_was_read_from()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 3);
        var options = Options(_aws);
        var failures = CollectFailures(options);
        var observer = new RecordingObserver();
        await using (var producer = new KinesisProducer(options))
        {
            for (var i = 0; i < 2_000; i++)
            {
                await producer.EnqueueAsync(stream, $"k{i % 97}", Encoding.UTF8.GetBytes($"v{i}"), null, observer, i);
            }

            await producer.FlushAsync().WaitAsync(Deadline);
        }

        Assert.Equal(2_000, observer.Succeeded.Count);
        Assert.Equal(0, observer.Duplicates);
        Assert.Empty(observer.Failed);
        Assert.Empty(failures);
        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => (long)i), observer.Succeeded.Keys.Order());
        var read = await ReadAllAsync(client, stream);
        var shardOf = read.ToDictionary(r => Encoding.UTF8.GetString(r.User.Data.Span), r => (r.Shard.ShardId, r.SequenceNumber));
        foreach (var (token, outcome) in observer.Succeeded)
        {
            Assert.Equal(shardOf[$"v{token}"], outcome);
        }
    }

    [Fact]
    public async Task A_failed_observed_record_goes_to_its_observer_not_to_OnRecordFailed()
    {
        var options = Options(_aws);
        options.RecordTtl = TimeSpan.FromSeconds(1);
        var failures = CollectFailures(options);
        var observer = new RecordingObserver();
        await using var producer = new KinesisProducer(options);

        await producer.EnqueueAsync(LocalAws.UniqueName("missing"), "k", "x"u8.ToArray(), null, observer, 42);
        await producer.FlushAsync().WaitAsync(Deadline);

        var failure = await observer.FirstFailure.Task.WaitAsync(Deadline);
        Assert.Equal(42, failure.Token);
        Assert.Equal(RecordFailure.Expired, failure.Failure.ErrorCode);
        Assert.Equal("x"u8.ToArray(), failure.Failure.Data.ToArray());
        Assert.Empty(observer.Succeeded);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_throwing_observer_does_not_stop_later_outcomes()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        var observer = new RecordingObserver { ThrowOnEven = true };
        await using var producer = new KinesisProducer(Options(_aws));

        for (var i = 0; i < 10; i++)
        {
            await producer.EnqueueAsync(stream, "k", "x"u8.ToArray(), null, observer, i);
        }

        await producer.FlushAsync().WaitAsync(Deadline);
        Assert.Equal(10, observer.Succeeded.Count);
        Assert.Equal(0, producer.OutstandingRecords);
    }

    [Fact]
    public async Task A_null_observer_is_refused_at_once()
    {
        await using var producer = new KinesisProducer(Options(_aws));
        var ex = await Assert.ThrowsAsync<ArgumentNullException>(async () => await producer.EnqueueAsync("s", "k", "x"u8.ToArray(), null, null!, 1));
        Assert.Equal("observer", ex.ParamName);
    }
}
