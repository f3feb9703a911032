using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Polly;

namespace Kinesis.Clients.Producer.Tests.Units;

/// <summary>
/// User records and shard buffers without a producer or a stream: a producer context over the given options
/// (clock in <see cref="TimeSpan"/> ticks, nothing sent anywhere), for testing the buffers and the planner.
/// </summary>
internal sealed class BufferFixture : IDisposable
{
    public const long Frequency = TimeSpan.TicksPerSecond;
    public const long Start = 1_000_000_000_000;

    // Failures are reported nowhere (no callback, no observer); one dispatcher and one meter serve every fixture.
    private static readonly CallbackDispatcher Callbacks = new(null, NullLogger.Instance);
    private static readonly ProducerMetrics Metrics = new(() => 0, TimeProvider.System);

    /// <param name="options">The producer's options (its clock is replaced by a fake one).</param>
    /// <param name="onRecordFailed">Hears the failures of records no observer hears (on a thread of its own, as in a producer).</param>
    public BufferFixture(KinesisProducerOptions? options = null, Action<RecordFailure>? onRecordFailed = null)
    {
        Options = options ?? new KinesisProducerOptions();
        Options.TimeProvider = new FakeTimeProvider();
        Assert.Equal(Frequency, Options.TimeProvider.TimestampFrequency);
        Admission = new RecordAdmission(Options);
        var callbacks = onRecordFailed is null ? Callbacks : new CallbackDispatcher(onRecordFailed, NullLogger.Instance);
        Stream = new StreamContext(
            "stream",
            new ProducerContext(Options, NullLogger.Instance, Metrics, Admission, callbacks, ResiliencePipeline<BatchProgress>.Empty));
        Buffers = new ShardBuffers(Options, Ticks(Options.RecordMaxBufferedTime), Frequency);
    }

    public KinesisProducerOptions Options { get; }

    /// <summary>The buffer room records take; completing them gives it back.</summary>
    public RecordAdmission Admission { get; }

    public StreamContext Stream { get; }

    public ShardBuffers Buffers { get; }

    public static long At(double ms) => Start + (long)Math.Round(ms * Frequency / 1000);

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Frequency);

    /// <summary>Hears the outcomes of the records <see cref="Record"/> makes.</summary>
    public RecordingObserver Observer { get; } = new();

    /// <summary>
    /// A user record of <paramref name="dataBytes"/> bytes under a one-character key (so 1 + data bytes as PutRecords
    /// counts it), heard by <see cref="Observer"/> (so carried one by one through the buffers).
    /// </summary>
    public UserRecord Record(int dataBytes, double acceptedAtMs, string partitionKey = "k") =>
        new(Stream, partitionKey, null, new byte[dataBytes], dataBytes + partitionKey.Length, At(acceptedAtMs), new FlushEpoch(null), awaited: false, Observer, token: 0);

    /// <summary>A user record as <see cref="KinesisProducer.EnqueueAsync(string, string, ReadOnlyMemory{byte}, string?, CancellationToken)"/> makes it: nobody hears of it but the failure callback.</summary>
    public UserRecord Unobserved(ReadOnlySpan<byte> data, double acceptedAtMs, FlushEpoch epoch, string partitionKey = "k", string? explicitHashKey = null) =>
        new(Stream, partitionKey, explicitHashKey, data, data.Length + System.Text.Encoding.UTF8.GetByteCount(partitionKey), At(acceptedAtMs), epoch, awaited: false);

    /// <summary>Adds a record to the shard's buffer (created at the start when new) and returns it.</summary>
    public UserRecord Add(string shardId, int dataBytes, double acceptedAtMs)
    {
        var record = Record(dataBytes, acceptedAtMs);
        Buffers.Add(Buffers.GetOrCreate(shardId, Start), record);
        return record;
    }

    public ShardBuffer Shard(string shardId)
    {
        Assert.True(Buffers.TryGet(shardId, out var buffer), $"no buffer for {shardId}");
        return buffer;
    }

    /// <summary>Completes what is still held, returning pooled arrays.</summary>
    public void Dispose() => Buffers.FailAll("TestOver", "The test is over.");
}
