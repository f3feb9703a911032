using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>A run that cannot travel whole inside one aggregate is refused when it is put, naming what is wrong.</summary>
[Trait("Category", "Engine")]
public sealed class RunValidationTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public RunValidationTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task A_run_needs_aggregation_enabled()
    {
        var options = Options(_aws);
        options.AggregationEnabled = false;
        var observer = new RecordingObserver();
        await using var producer = new KinesisProducer(options);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await producer.EnqueueRunAsync("s", "k", "ab"u8.ToArray(), [1, 1], observer, 1).AsTask().WaitAsync(Deadline));

        Assert.Contains("AggregationEnabled", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, producer.OutstandingRecords);
    }

    [Fact]
    public async Task A_run_without_lengths_is_refused_at_once()
    {
        await using var producer = new KinesisProducer(Options(_aws));

        var error = await Assert.ThrowsAsync<ArgumentException>(
            async () => await producer.EnqueueRunAsync("s", "k", "ab"u8.ToArray(), [], new RecordingObserver(), 1).AsTask().WaitAsync(Deadline));

        Assert.Equal("recordLengths", error.ParamName);
        Assert.Equal(0, producer.OutstandingRecords);
    }

    [Theory]
    [InlineData(new[] { 1, 1 }, 3)]
    [InlineData(new[] { 2, 2 }, 3)]
    [InlineData(new[] { 5 }, 3)]
    public async Task A_run_whose_lengths_do_not_add_up_to_its_data_is_refused_at_once(int[] lengths, int dataLength)
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        var observer = new RecordingObserver();
        var options = Options(_aws);
        options.ShutdownTimeout = TimeSpan.FromSeconds(10);
        await using var producer = new KinesisProducer(options);

        await Assert.ThrowsAsync<ArgumentException>(
            async () => await producer.EnqueueRunAsync(stream, "k", new byte[dataLength], lengths, observer, 1).AsTask().WaitAsync(Deadline));

        // The stream still works afterwards.
        await producer.EnqueueRunAsync(stream, "k", "abc"u8.ToArray(), [1, 2], observer, 2).AsTask().WaitAsync(Deadline);
        await producer.FlushAsync().WaitAsync(Deadline);
        Assert.Equal([2L], observer.Succeeded.Keys);
        Assert.Empty(observer.Failed);
    }

    [Fact]
    public async Task A_run_with_a_negative_length_is_refused_at_once_naming_the_lengths()
    {
        await using var producer = new KinesisProducer(Options(_aws));

        var error = await Assert.ThrowsAsync<ArgumentException>(
            async () => await producer.EnqueueRunAsync("s", "k", "ab"u8.ToArray(), [3, -1], new RecordingObserver(), 1).AsTask().WaitAsync(Deadline));

        Assert.Equal("recordLengths", error.ParamName);
        Assert.Equal(0, producer.OutstandingRecords);
    }

    [Fact]
    public async Task A_run_too_big_for_one_aggregate_is_refused_at_once_naming_both_sizes()
    {
        var options = Options(_aws);
        options.AggregationMaxSize = 1_000;
        await using var producer = new KinesisProducer(options);
        int[] lengths = [500, 500];
        var encoded = AggregateBuilder.SizeOfRun("k", null, lengths);

        var error = await Assert.ThrowsAsync<ArgumentException>(
            async () => await producer.EnqueueRunAsync("s", "k", new byte[1_000], lengths, new RecordingObserver(), 1).AsTask().WaitAsync(Deadline));

        Assert.Equal("data", error.ParamName);
        Assert.Contains($"{encoded} bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("AggregationMaxSize is 1000", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, producer.OutstandingRecords);
    }

    [Fact]
    public async Task A_run_of_more_records_than_AggregationMaxCount_is_refused_at_once()
    {
        var options = Options(_aws);
        options.AggregationMaxCount = 3;
        await using var producer = new KinesisProducer(options);

        var error = await Assert.ThrowsAsync<ArgumentException>(
            async () => await producer.EnqueueRunAsync("s", "k", "abcd"u8.ToArray(), [1, 1, 1, 1], new RecordingObserver(), 1).AsTask().WaitAsync(Deadline));

        Assert.Equal("recordLengths", error.ParamName);
        Assert.Contains("AggregationMaxCount is 3", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, producer.OutstandingRecords);
    }
}
