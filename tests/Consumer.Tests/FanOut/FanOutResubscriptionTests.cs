using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

/// <summary>
/// However a subscription ends, the reader opens the next one after the last continuation sequence number it handed
/// out, so every record arrives exactly once, in order.
/// </summary>
[Trait("Category", "Engine")]
public sealed class FanOutResubscriptionTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws = fixture.Aws;

    public static TheoryData<string> Faults => new() { "End", "Exception", "Silence", "CorruptFrame", "Reset", "Lifetime" };

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Faults))]
    public async Task A_subscription_that_ends_mid_stream_is_renewed_from_the_continuation_without_loss_or_duplicates(string fault)
    {
        await using var scenario = await FanOutScenario.StartAsync(
            _aws,
            client: o => o.SilenceTimeout = fault == "Silence" ? TimeSpan.FromSeconds(1) : o.SilenceTimeout,
            server: o => o.SubscriptionLifetime = fault == "Lifetime" ? TimeSpan.FromMilliseconds(300) : o.SubscriptionLifetime,
            logger: new TestLogger(output));
        for (var i = 0; i < 3; i++)
        {
            scenario.Server.Enqueue(fault switch
            {
                "End" => SubscriptionScript.EndAfterEvents(2),
                "Exception" => SubscriptionScript.ExceptionAfterEvents(2, "InternalFailureException"),
                "Silence" => SubscriptionScript.SilentAfterEvents(2),
                "CorruptFrame" => SubscriptionScript.CorruptAfterEvents(2),
                "Reset" => SubscriptionScript.ResetAfterEvents(2),
                _ => SubscriptionScript.Normal,
            });
        }

        await using var reader = scenario.Reader();
        var put = new List<string>();
        var read = new List<string>();
        for (var batch = 0; batch < 8; batch++)
        {
            // Records keep arriving while subscriptions come and go.
            put.AddRange(await scenario.PutAsync(FanOutScenario.Entries(25, $"batch{batch}", from: batch * 25)));
            read.AddRange(FanOutScenario.SequenceNumbers(await scenario.ReadRecordsAsync(reader, put.Count - read.Count)));
            await Task.Delay(100);
        }

        Assert.Equal(put, read);
        // A subscription the client gave up on before its answer came (a busy engine) is not part of the chain.
        var accepted = scenario.Server.Calls.Where(c => c.Accepted && !(c.EventsSent == 0 && c.EndedBy == "ClientGone")).ToList();
        Assert.True(accepted.Count >= (fault == "Lifetime" ? 2 : 4), $"expected the scripted subscriptions and more: {string.Join("; ", scenario.Server.Calls)}");
        Assert.Equal(accepted.Count, reader.Subscriptions);
        Assert.Equal(fault == "Lifetime" ? "Lifetime" : fault, accepted[0].EndedBy);
        for (var i = 1; i < accepted.Count; i++)
        {
            // Each subscription starts right after the last event the reader handed out from the previous one: the
            // last one sent when the stream ended cleanly; after a reset, one the client received before it.
            Assert.Equal("AFTER_SEQUENCE_NUMBER", accepted[i].StartingPositionType);
            if (fault is "Reset")
            {
                Assert.Contains(accepted[i].SequenceNumber, accepted[i - 1].ContinuationsSent);
            }
            else
            {
                Assert.Equal(accepted[i - 1].LastContinuation, accepted[i].SequenceNumber);
            }
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Subscribing_again_sooner_than_the_service_allows_is_refused_then_backed_off_until_accepted()
    {
        var guard = TimeSpan.FromMilliseconds(1500);
        await using var scenario = await FanOutScenario.StartAsync(
            _aws,
            client: o => o.ResubscribeInterval = TimeSpan.Zero,
            server: o => o.ResubscribeGuard = guard,
            logger: new TestLogger(output));
        scenario.Server.Enqueue(SubscriptionScript.EndAfterEvents(1));
        var put = await scenario.PutAsync(FanOutScenario.Entries(10));
        await using var reader = scenario.Reader();

        var first = await scenario.ReadRecordsAsync(reader, 1);
        put.AddRange(await scenario.PutAsync(FanOutScenario.Entries(10, from: 10)));
        var rest = await scenario.ReadRecordsAsync(reader, put.Count - first.Sum(e => e.Records.Count));

        Assert.Equal(put, FanOutScenario.SequenceNumbers(first.Concat(rest)));
        var calls = scenario.Server.Calls;
        var refused = calls.Skip(1).TakeWhile(c => !c.Accepted).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, c => Assert.Equal("ResourceInUseException", c.RefusedWith));
        var second = calls.First(c => c.Number > 1 && c.Accepted);
        Assert.Equal(calls[0].LastContinuation, second.SequenceNumber);
        Assert.Equal(2, reader.Subscriptions);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_reader_keeps_the_resubscribe_interval_so_the_service_never_refuses_it()
    {
        var interval = TimeSpan.FromMilliseconds(800);
        await using var scenario = await FanOutScenario.StartAsync(
            _aws,
            client: o => o.ResubscribeInterval = interval,
            server: o => o.ResubscribeGuard = interval,
            logger: new TestLogger(output));
        scenario.Server.Enqueue(SubscriptionScript.EndAfterEvents(1));
        scenario.Server.Enqueue(SubscriptionScript.EndAfterEvents(1));
        await using var reader = scenario.Reader();

        await scenario.ReadUntilAsync(reader, events => events.Count >= 3);

        var calls = scenario.Server.Calls;
        Assert.Equal(3, calls.Count);
        Assert.All(calls, c => Assert.True(c.Accepted, c.ToString()));
    }

    [Theory(Timeout = 120_000)]
    [InlineData("LimitExceededException")]
    [InlineData("InternalFailure")]
    public async Task A_refused_subscription_is_retried_with_backoff(string errorCode)
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));
        var status = errorCode == "InternalFailure" ? System.Net.HttpStatusCode.InternalServerError : System.Net.HttpStatusCode.BadRequest;
        scenario.Server.Enqueue(SubscriptionScript.Refuse(errorCode, status));
        scenario.Server.Enqueue(SubscriptionScript.Refuse(errorCode, status));
        var put = await scenario.PutAsync(FanOutScenario.Entries(5));
        await using var reader = scenario.Reader();

        var events = await scenario.ReadRecordsAsync(reader, 5);

        Assert.Equal(put, FanOutScenario.SequenceNumbers(events));
        Assert.Equal([errorCode, errorCode, null], scenario.Server.Calls.Select(c => c.RefusedWith));
        Assert.All(scenario.Server.Calls, c => Assert.Equal("TRIM_HORIZON", c.StartingPositionType));
    }

    [Fact(Timeout = 120_000)]
    public async Task An_exception_event_before_any_record_is_retried_with_backoff()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));
        scenario.Server.Enqueue(SubscriptionScript.ExceptionAfterEvents(0, "KMSThrottlingException"));
        scenario.Server.Enqueue(SubscriptionScript.ExceptionAfterEvents(0, "ResourceInUseException"));
        var put = await scenario.PutAsync(FanOutScenario.Entries(5));
        await using var reader = scenario.Reader();

        var events = await scenario.ReadRecordsAsync(reader, 5);

        Assert.Equal(put, FanOutScenario.SequenceNumbers(events));
        Assert.Equal(["Exception", "Exception"], scenario.Server.Calls.Take(2).Select(c => c.EndedBy));
        Assert.Equal(3, reader.Subscriptions);
    }
}
