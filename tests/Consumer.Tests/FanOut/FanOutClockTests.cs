using Kinesis.Clients.Consumer.FanOut;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

/// <summary>The reader's waits run on its <see cref="TimeProvider"/>, so they can be driven by a fake clock.</summary>
[Trait("Category", "Engine")]
public sealed class FanOutClockTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 60_000)]
    public async Task The_reader_resubscribes_only_once_the_interval_has_passed_on_its_clock()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));
        var clock = new RecordingTimeProvider(DateTimeOffset.UtcNow);
        using var client = new FanOutSubscriber(
            scenario.Server.Endpoint, _aws.Region, _aws.Credentials, WireProtocol.Cbor, new FanOutOptions(), clock, scenario.Server.TrustedCertificates);
        scenario.Server.Enqueue(SubscriptionScript.EndAfterEvents(1));
        await using var reader = new FanOutShardReader(client, scenario.ConsumerArn, scenario.ShardId, SubscribePosition.TrimHorizon, new TestLogger(output));

        Assert.NotNull(await reader.ReadNextAsync().AsTask().WaitAsync(FanOutScenario.Deadline));
        var next = reader.ReadNextAsync().AsTask();
        await scenario.Server.WaitUntilAsync(calls => calls[0].EndedBy == "End", "the first subscription to end", FanOutScenario.Deadline);

        // The reader now waits on its clock, the whole interval from the first subscription (the clock has not
        // moved since); nothing else can start a second one.
        var wait = await clock.WaitForPendingTimerAsync(
            t => t.DueTime == FanOutOptions.ServiceResubscribeInterval, "the wait before resubscribing", FanOutScenario.Deadline);
        clock.Advance(FanOutOptions.ServiceResubscribeInterval - TimeSpan.FromMilliseconds(100));
        Assert.False(wait.HasFired);
        Assert.Single(scenario.Server.Calls);
        Assert.False(next.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(200));
        var second = await next.WaitAsync(FanOutScenario.Deadline);

        Assert.NotNull(second);
        var calls = scenario.Server.Calls;
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].LastContinuation, calls[1].SequenceNumber);
    }
}
