using Kinesis.Clients.Consumer.FanOut;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

[Trait("Category", "Engine")]
public sealed class StreamConsumerRegistrationTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Deadline = FanOutScenario.Deadline;
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 60_000)]
    public async Task A_missing_consumer_is_registered_and_returned_once_active()
    {
        using var kinesis = Client();
        await using var stream = await _aws.NewStreamAsync(1, "efo-reg", through: kinesis);
        var streamArn = await ArnAsync(kinesis, stream);

        var consumer = await StreamConsumerRegistration.EnsureRegisteredAsync(kinesis, streamArn, "fresh", Deadline, Poll, null, CancellationToken.None).WaitAsync(Deadline);

        Assert.True(consumer.IsActive);
        Assert.Equal("fresh", consumer.ConsumerName);
        Assert.StartsWith(streamArn + "/consumer/fresh:", consumer.ConsumerArn, StringComparison.Ordinal);
        var listed = await kinesis.ListStreamConsumersAsync(streamArn).WaitAsync(Deadline);
        Assert.Equal(consumer.ConsumerArn, Assert.Single(listed.Consumers).ConsumerArn);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_existing_consumer_is_found_not_registered_again()
    {
        using var kinesis = Client();
        await using var stream = await _aws.NewStreamAsync(1, "efo-reg", through: kinesis);
        var streamArn = await ArnAsync(kinesis, stream);
        var first = await StreamConsumerRegistration.EnsureRegisteredAsync(kinesis, streamArn, "again", Deadline).WaitAsync(Deadline);

        var second = await StreamConsumerRegistration.EnsureRegisteredAsync(kinesis, streamArn, "again", Deadline).WaitAsync(Deadline);

        Assert.Equal(first.ConsumerArn, second.ConsumerArn);
        Assert.Single((await kinesis.ListStreamConsumersAsync(streamArn).WaitAsync(Deadline)).Consumers);
    }

    [Fact(Timeout = 60_000)]
    public async Task Workers_registering_the_same_name_at_once_all_get_the_one_consumer()
    {
        using var kinesis = Client();
        await using var stream = await _aws.NewStreamAsync(1, "efo-reg", through: kinesis);
        var streamArn = await ArnAsync(kinesis, stream);

        var consumers = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            StreamConsumerRegistration.EnsureRegisteredAsync(kinesis, streamArn, "shared", Deadline, Poll, null, CancellationToken.None))).WaitAsync(Deadline);

        Assert.Single(consumers.Select(c => c.ConsumerArn).Distinct());
        Assert.All(consumers, c => Assert.True(c.IsActive));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stream_that_does_not_exist_is_an_error_not_a_wait()
    {
        using var kinesis = Client();
        var streamArn = $"arn:aws:kinesis:{_aws.Region}:000000000000:stream/{LocalAws.UniqueName("missing")}";

        await Assert.ThrowsAnyAsync<AwsServiceException>(() =>
            StreamConsumerRegistration.EnsureRegisteredAsync(kinesis, streamArn, "nobody", Deadline, Poll, null, CancellationToken.None).WaitAsync(Deadline));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_consumer_arn_comes_from_the_options_or_from_the_named_consumer()
    {
        using var kinesis = Client();
        await using var stream = await _aws.NewStreamAsync(1, "efo-reg", through: kinesis);
        var streamArn = await ArnAsync(kinesis, stream);
        var given = new FanOutOptions { ConsumerArn = streamArn + "/consumer/given:1" };

        Assert.Equal(given.ConsumerArn, await StreamConsumerRegistration.ResolveConsumerArnAsync(kinesis, streamArn, given, "app", null, CancellationToken.None));
        var byApplication = await StreamConsumerRegistration.ResolveConsumerArnAsync(kinesis, streamArn, new FanOutOptions(), "my-app", null, CancellationToken.None).WaitAsync(Deadline);
        var byName = await StreamConsumerRegistration.ResolveConsumerArnAsync(kinesis, streamArn, new FanOutOptions { ConsumerName = "named" }, "my-app", null, CancellationToken.None).WaitAsync(Deadline);

        Assert.StartsWith(streamArn + "/consumer/my-app:", byApplication, StringComparison.Ordinal);
        Assert.StartsWith(streamArn + "/consumer/named:", byName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/")]
    public async Task Invalid_consumer_names_are_rejected_before_any_call(string name)
    {
        using var kinesis = Client();

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            StreamConsumerRegistration.EnsureRegisteredAsync(kinesis, "arn:aws:kinesis:us-east-1:000000000000:stream/x", name, Deadline));

        Assert.Equal("consumerName", error.ParamName);
    }

    private KinesisClient Client() => new(new KinesisClientOptions
    {
        ServiceUrl = _aws.KinesisEndpoint,
        Region = _aws.Region,
        Credentials = _aws.Credentials,
    });

    private static async Task<string> ArnAsync(KinesisClient kinesis, TestStream stream) =>
        (await kinesis.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline)).StreamArn;
}
