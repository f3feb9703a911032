using System.Net;
using Kinesis.Clients.Consumer.FanOut;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

/// <summary>Exception events and HTTP errors become the Core <see cref="AwsServiceException"/> family.</summary>
[Trait("Category", "Engine")]
public sealed class FanOutErrorTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws = fixture.Aws;

    [Theory(Timeout = 120_000)]
    [InlineData("KMSAccessDeniedException")]
    [InlineData("KMSDisabledException")]
    [InlineData("ResourceNotFoundException")]
    public async Task An_exception_event_no_subscription_can_get_past_stops_the_reader_with_the_mapped_error(string exceptionType)
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));
        scenario.Server.Enqueue(SubscriptionScript.ExceptionAfterEvents(1, exceptionType, "the key is gone"));
        await using var reader = scenario.Reader();
        await scenario.ReadUntilAsync(reader, events => events.Count >= 1);

        var error = await Assert.ThrowsAnyAsync<AwsServiceException>(() => reader.ReadNextAsync().AsTask().WaitAsync(FanOutScenario.Deadline));

        Assert.Equal(exceptionType, error.ErrorCode);
        Assert.Equal("SubscribeToShard", error.Operation);
        Assert.Equal("Kinesis", error.Service);
        Assert.False(error.IsRetryable);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.Contains("the key is gone", error.Message, StringComparison.Ordinal);
        Assert.Contains(scenario.ShardId, error.Message, StringComparison.Ordinal);
        Assert.Equal(exceptionType == "ResourceNotFoundException", error is ResourceNotFoundException);
        Assert.Single(scenario.Server.Calls);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_newer_subscription_takes_over_and_the_older_one_gets_ResourceInUseException()
    {
        await using var scenario = await FanOutScenario.StartAsync(
            _aws, server: o => o.ResubscribeGuard = TimeSpan.FromSeconds(2), logger: new TestLogger(output));
        await using var older = await scenario.Client.SubscribeAsync(scenario.ConsumerArn, scenario.ShardId, SubscribePosition.TrimHorizon, CancellationToken.None);
        Assert.NotNull(await older.ReadNextAsync(CancellationToken.None).AsTask().WaitAsync(FanOutScenario.Deadline));
        await scenario.Server.WaitUntilAsync(calls => calls[0].EventsSent >= 1, "the first event", FanOutScenario.Deadline);

        await Assert.ThrowsAsync<ResourceInUseException>(async () =>
        {
            // Subscribing again within the guard is refused; a reader backs off until the guard has passed.
            await using var tooSoon = await scenario.Client.SubscribeAsync(scenario.ConsumerArn, scenario.ShardId, SubscribePosition.TrimHorizon, CancellationToken.None);
        });
        await using var newer = scenario.Reader();
        await scenario.ReadUntilAsync(newer, events => events.Count >= 1);

        var error = await Assert.ThrowsAsync<ResourceInUseException>(async () =>
        {
            while (await older.ReadNextAsync(CancellationToken.None).AsTask().WaitAsync(FanOutScenario.Deadline) is not null)
            {
            }
        });
        Assert.Equal("ResourceInUseException", error.ErrorCode);
        Assert.Equal("TakenOver", scenario.Server.Calls[0].EndedBy);
        Assert.Equal("ResourceInUseException", scenario.Server.Calls[1].RefusedWith);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_consumer_is_refused_with_ResourceNotFoundException()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));
        var missing = scenario.ConsumerArn.Replace("efo-test", "nobody", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            scenario.Client.SubscribeAsync(missing, scenario.ShardId, SubscribePosition.TrimHorizon, CancellationToken.None).WaitAsync(FanOutScenario.Deadline));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("SubscribeToShard", error.Operation);
        Assert.NotNull(error.RequestId);
        await using var reader = new FanOutShardReader(scenario.Client, missing, scenario.ShardId, SubscribePosition.TrimHorizon);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => reader.ReadNextAsync().AsTask().WaitAsync(FanOutScenario.Deadline));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_shard_is_refused_with_ResourceNotFoundException()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));

        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            scenario.Client.SubscribeAsync(scenario.ConsumerArn, "shardId-000000000042", SubscribePosition.TrimHorizon, CancellationToken.None).WaitAsync(FanOutScenario.Deadline));

        Assert.Contains("shardId-000000000042", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_endpoint_that_does_not_answer_with_an_event_stream_is_not_a_subscription()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));
        var options = new FanOutOptions { ServiceUrl = new Uri("http://127.0.0.1:9/"), ConnectTimeout = TimeSpan.FromSeconds(2) };
        using var nowhere = new FanOutSubscriber(scenario.Kinesis, options);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            nowhere.SubscribeAsync(scenario.ConsumerArn, scenario.ShardId, SubscribePosition.TrimHorizon, CancellationToken.None).WaitAsync(FanOutScenario.Deadline));

        Assert.True(error.IsRetryable);
        Assert.Null(error.StatusCode);
        Assert.Contains("got no response from http://127.0.0.1:9/", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancelling_a_read_closes_the_subscription_and_the_next_read_resumes_where_it_stood()
    {
        await using var scenario = await FanOutScenario.StartAsync(
            _aws, server: o => o.HeartbeatInterval = TimeSpan.FromSeconds(30), logger: new TestLogger(output));
        var put = await scenario.PutAsync(FanOutScenario.Entries(3));
        await using var reader = scenario.Reader();
        var first = await scenario.ReadRecordsAsync(reader, 3);

        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50)))
        {
            // The shard is idle and the next heartbeat is 30 s away: this read is cancelled while it waits.
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadNextAsync(cancel.Token).AsTask());
        }

        put.AddRange(await scenario.PutAsync(FanOutScenario.Entries(3, from: 3)));
        var rest = await scenario.ReadRecordsAsync(reader, 3);

        Assert.Equal(put, FanOutScenario.SequenceNumbers(first.Concat(rest)));
        Assert.Equal(2, reader.Subscriptions);
        await scenario.Server.WaitUntilAsync(calls => calls[0].EndedBy == "ClientGone", "the first subscription to see the client leave", FanOutScenario.Deadline);
    }
}
