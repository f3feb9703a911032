using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>Against an endpoint that takes nothing, memory stays under the bound and callers wait or fail fast.</summary>
public sealed class BackPressureTests
{
    private const long Bound = 1024 * 1024;

    [Fact]
    public async Task Putting_far_more_than_the_bound_into_a_stalled_endpoint_keeps_buffered_bytes_under_it()
    {
        await using var sink = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("stalled", 2));
        sink.Faults.RateOperation = "PutRecords";
        sink.Faults.FailureRate = 1.0;
        var options = StalledOptions(sink.Endpoint);
        var failures = CollectFailures(options);
        var producer = new KinesisProducer(options);

        var accepted = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var data = new byte[10_000];
            for (var i = 0; i < 2_000 && !stop.IsCancellationRequested; i++)
            {
                // 20 MB offered in all, twenty times the bound.
                await producer.EnqueueAsync("stalled", $"k{i}", data, cancellationToken: stop.Token);
                Interlocked.Increment(ref accepted);
            }
        });

        // Watch for two seconds at least, and until the producer has tried (and failed) to send: on a loaded machine
        // its first request can come later than that.
        var peak = 0L;
        var until = DateTime.UtcNow.AddSeconds(2);
        var giveUp = DateTime.UtcNow + Deadline;
        while ((DateTime.UtcNow < until || sink.Stats.InjectedFailures == 0) && DateTime.UtcNow < giveUp)
        {
            peak = Math.Max(peak, producer.BufferedBytes);
            await Task.Delay(5);
        }

        Assert.False(writer.IsCompleted, "the writer should be held back by the full buffer");
        Assert.InRange(peak, 1, Bound);
        Assert.InRange(Volatile.Read(ref accepted), 1, (int)(Bound / 10_000));
        Assert.True(sink.Stats.InjectedFailures > 0, "the producer kept retrying meanwhile");

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer).WaitAsync(Deadline);
        await producer.DisposeAsync();

        // Nothing accepted is silently dropped: every accepted record is reported, here as not sent.
        Assert.Equal(Volatile.Read(ref accepted), failures.Count);
        Assert.All(failures, f => Assert.Contains(f.ErrorCode, new[] { RecordFailure.ProducerDisposed, RecordFailure.Expired }));
    }

    [Fact]
    public async Task With_FailWhenBufferFull_a_full_buffer_rejects_the_call_and_keeps_what_it_holds()
    {
        await using var sink = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("stalled", 1));
        sink.Faults.RateOperation = "PutRecords";
        sink.Faults.FailureRate = 1.0;
        var options = StalledOptions(sink.Endpoint);
        options.FailWhenBufferFull = true;
        var failures = CollectFailures(options);
        var producer = new KinesisProducer(options);

        var data = new byte[100_000];
        for (var i = 0; i < 10; i++)
        {
            await producer.EnqueueAsync("stalled", $"k{i}", data);
        }

        var ex = await Assert.ThrowsAsync<ProducerBufferFullException>(async () => await producer.EnqueueAsync("stalled", "one-too-many", data));
        Assert.Contains("buffer is full", ex.Message, StringComparison.Ordinal);
        Assert.Equal(10, producer.OutstandingRecords);

        await producer.DisposeAsync();
        Assert.Equal(10, failures.Count);
    }

    private static KinesisProducerOptions StalledOptions(Uri endpoint) => new()
    {
        MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
        KinesisEndpoint = endpoint,
        Region = "us-east-1",
        Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIDLOCAL", "secret"),
        MaxBufferedBytes = Bound,
        MaxUserRecordSize = 200_000,
        RetryBaseDelay = TimeSpan.FromMilliseconds(20),
        RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        ShutdownTimeout = TimeSpan.FromMilliseconds(300),
    };
}
