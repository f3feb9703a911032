using Kinesis.Clients.Consumer.Tests.Worker;

namespace Kinesis.Clients.Consumer.Tests.Failures;

/// <summary>The failure-handling options are checked when the consumer is built, each error naming its option.</summary>
public sealed class FailureOptionsTests
{
    [Fact]
    public void The_defaults_retry_three_times_then_stop_the_shard()
    {
        var options = Valid();

        Assert.Equal(3, options.MaxProcessingRetries);
        Assert.Equal(TimeSpan.FromSeconds(1), options.ProcessingRetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ProcessingRetryMaxDelay);
        Assert.Equal(FailedBatchAction.StopShard, options.FailedBatchAction);
        Assert.False(options.BisectBatchOnFailure);
        _ = new KinesisConsumer(options, new RecordingFactory(new ProcessingLog(), "w"));
    }

    [Theory]
    [InlineData("retries", nameof(KinesisConsumerOptions.MaxProcessingRetries))]
    [InlineData("too-many-retries", nameof(KinesisConsumerOptions.MaxProcessingRetries))]
    [InlineData("zero-base", nameof(KinesisConsumerOptions.ProcessingRetryBaseDelay))]
    [InlineData("cap-below-base", nameof(KinesisConsumerOptions.ProcessingRetryMaxDelay))]
    [InlineData("skip-without-callback", nameof(KinesisConsumerOptions.OnBatchSkipped))]
    [InlineData("dead-letter-without-stream", nameof(KinesisConsumerOptions.DeadLetterStreamName))]
    [InlineData("dead-letter-bad-name", nameof(KinesisConsumerOptions.DeadLetterStreamName))]
    [InlineData("dead-letter-to-itself", nameof(KinesisConsumerOptions.DeadLetterStreamName))]
    [InlineData("undefined-action", nameof(KinesisConsumerOptions.FailedBatchAction))]
    public void A_bad_value_names_its_option(string change, string option)
    {
        var options = Valid();
        switch (change)
        {
            case "retries": options.MaxProcessingRetries = -1; break;
            case "too-many-retries": options.MaxProcessingRetries = 10_001; break;
            case "zero-base": options.ProcessingRetryBaseDelay = TimeSpan.Zero; break;
            case "cap-below-base": options.ProcessingRetryMaxDelay = TimeSpan.FromMilliseconds(500); break;
            case "skip-without-callback": options.FailedBatchAction = FailedBatchAction.SkipBatch; break;
            case "dead-letter-without-stream": options.FailedBatchAction = FailedBatchAction.DeadLetter; break;
            case "dead-letter-bad-name": options.FailedBatchAction = FailedBatchAction.DeadLetter; options.DeadLetterStreamName = "no spaces"; break;
            case "dead-letter-to-itself": options.FailedBatchAction = FailedBatchAction.DeadLetter; options.DeadLetterStreamName = "orders"; break;
            case "undefined-action": options.FailedBatchAction = (FailedBatchAction)7; break;
        }

        var error = Assert.ThrowsAny<ArgumentException>(() => new KinesisConsumer(options, new RecordingFactory(new ProcessingLog(), "w")));

        Assert.Equal(option, error.ParamName);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skip_with_a_callback_and_dead_letter_with_a_stream_are_accepted()
    {
        var skip = Valid();
        skip.FailedBatchAction = FailedBatchAction.SkipBatch;
        skip.OnBatchSkipped = (_, _) => ValueTask.CompletedTask;
        var deadLetter = Valid();
        deadLetter.FailedBatchAction = FailedBatchAction.DeadLetter;
        deadLetter.DeadLetterStreamName = "orders-dlq";
        deadLetter.BisectBatchOnFailure = true;
        deadLetter.MaxProcessingRetries = 0;

        _ = new KinesisConsumer(skip, new RecordingFactory(new ProcessingLog(), "w"));
        _ = new KinesisConsumer(deadLetter, new RecordingFactory(new ProcessingLog(), "w"));
    }

    private static KinesisConsumerOptions Valid() => new() { ApplicationName = "orders-app", StreamName = "orders", Region = "eu-west-1" };
}
