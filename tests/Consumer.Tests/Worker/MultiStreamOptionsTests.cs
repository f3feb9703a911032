namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Multi-stream options: the KCL's defaults, and every bad setting refused naming the option.</summary>
public sealed class MultiStreamOptionsTests
{
    private const string Arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/clicks";

    private static KinesisConsumerOptions Valid() => new()
    {
        ApplicationName = "orders-app",
        Streams = new MultiStreamTracker([new StreamConfig("orders"), new StreamConfig(Arn, InitialPosition.TrimHorizon)]),
    };

    [Fact]
    public void The_tracker_has_the_KCL_defaults_and_the_options_validate()
    {
        var options = Valid();
        options.Validate();

        var tracker = options.Streams!;
        Assert.Equal(FormerStreamsLeasesDeletion.None, tracker.FormerStreamsLeasesDeletion);
        Assert.Null(tracker.WaitPeriodToDeleteFormerStreams);
        Assert.Equal(InitialPosition.Latest, tracker.OrphanedStreamInitialPosition);
        Assert.Equal(TimeSpan.FromSeconds(60), tracker.StreamSyncInterval);
        Assert.Empty(tracker.StreamsForLeaseDeletion);
        Assert.Equal("orders,clicks", options.StreamLabel);
    }

    public static TheoryData<string, Func<KinesisConsumerOptions>, string, string> BadOptions => new()
    {
        // because, options, option named, words in the message
        { "a single stream as well", () => With(o => o.StreamName = "orders"), "Streams", "not both" },
        { "a stream ARN as well", () => With(o => o.StreamArn = Arn), "Streams", "not both" },
        { "a deferred deletion without a wait", () => With(o => o.Streams = new MultiStreamTracker([new StreamConfig("a")]) { FormerStreamsLeasesDeletion = FormerStreamsLeasesDeletion.AutoDetectionDeferred }), "Streams.WaitPeriodToDeleteFormerStreams", "required" },
        { "a negative wait", () => With(o => o.Streams = new MultiStreamTracker([new StreamConfig("a")]) { FormerStreamsLeasesDeletion = FormerStreamsLeasesDeletion.ProvidedStreamsDeferred, WaitPeriodToDeleteFormerStreams = TimeSpan.FromSeconds(-1) }), "Streams.WaitPeriodToDeleteFormerStreams", "positive" },
        { "an unknown strategy", () => With(o => o.Streams = new MultiStreamTracker([new StreamConfig("a")]) { FormerStreamsLeasesDeletion = (FormerStreamsLeasesDeletion)7 }), "Streams.FormerStreamsLeasesDeletion", "7" },
        { "a zero stream sync interval", () => With(o => o.Streams = new MultiStreamTracker([new StreamConfig("a")]) { StreamSyncInterval = TimeSpan.Zero }), "Streams.StreamSyncInterval", "positive" },
        { "one consumer ARN for several streams", () => With(o => { o.RetrievalMode = RetrievalMode.EnhancedFanOut; o.FanOut.ConsumerArn = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders/consumer/app:1"; }), "FanOut.ConsumerArn", "ConsumerName" },
        { "a dead-letter stream that is consumed", () => With(o => { o.FailedBatchAction = FailedBatchAction.DeadLetter; o.DeadLetterStreamName = "clicks"; }), "DeadLetterStreamName", "clicks" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_bad_multi_stream_setting_is_refused_naming_the_option(string because, Func<KinesisConsumerOptions> options, string option, string words)
    {
        var error = Assert.Throws<ArgumentException>(() => options().Validate());

        Assert.True(error.ParamName == option, $"{because}: named {error.ParamName}");
        Assert.Contains(words, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string[], string> BadLists => new()
    {
        { "an empty list", [], "empty" },
        { "an empty stream", [""], "empty" },
        { "a bad ARN", ["arn:aws:kinesis:eu-west-1:1234:stream/x"], "not a Kinesis stream ARN" },
        { "a bad identifier", ["123:orders:0"], "account:stream:creationEpoch" },
        { "a bad name", ["or ders"], "not a stream name" },
        { "a name twice", ["orders", "orders"], "twice" },
        { "a name and its ARN", ["clicks", Arn], "twice" },
        { "an ARN and an identifier of the stream", [Arn, "123456789012:clicks:1700000000"], "twice" },
    };

    [Theory]
    [MemberData(nameof(BadLists))]
    public void A_bad_list_of_streams_is_refused_naming_the_option(string because, string[] streams, string words)
    {
        var error = Assert.Throws<ArgumentException>(() => new MultiStreamTracker(streams.Select(s => new StreamConfig(s))));
        Assert.True(error.ParamName == "Streams", $"{because}: named {error.ParamName}");
        Assert.Contains(words, error.Message, StringComparison.Ordinal);

        // Changing the list while running is checked the same way, and leaves the list as it was.
        var tracker = new MultiStreamTracker([new StreamConfig("kept")]);
        Assert.Throws<ArgumentException>(() => tracker.SetStreams(streams.Select(s => new StreamConfig(s))));
        Assert.Equal("kept", Assert.Single(tracker.Streams).Stream);
    }

    [Fact]
    public void The_same_stream_name_in_two_accounts_is_two_streams()
    {
        var tracker = new MultiStreamTracker([new StreamConfig(Arn), new StreamConfig("arn:aws:kinesis:eu-west-1:210987654321:stream/clicks")]);

        Assert.Equal(2, tracker.Streams.Count);
    }

    [Fact]
    public void Streams_for_lease_deletion_are_checked_when_set()
    {
        var tracker = new MultiStreamTracker([new StreamConfig("a")]);

        var error = Assert.Throws<ArgumentException>(() => tracker.SetStreamsForLeaseDeletion(["arn:nope"]));
        Assert.Equal("streams", error.ParamName);
        tracker.SetStreamsForLeaseDeletion(["b", "123456789012:c:1700000000"]);
        Assert.Equal(["b", "123456789012:c:1700000000"], tracker.StreamsForLeaseDeletion);
    }

    private static KinesisConsumerOptions With(Action<KinesisConsumerOptions> change)
    {
        var options = Valid();
        change(options);
        return options;
    }
}
