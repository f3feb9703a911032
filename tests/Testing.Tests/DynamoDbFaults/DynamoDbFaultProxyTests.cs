using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Testing.Tests.DynamoDbFaults;

/// <summary>The DynamoDB fault proxy, driven by the real AWS SDK client in front of dynalite.</summary>
[Trait("Category", "Engine")]
public sealed class DynamoDbFaultProxyTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private LocalAws Aws => fixture.Aws;

    [Fact(Timeout = 60_000)]
    public async Task Throttling_answers_the_named_operation_only_in_dynamodbs_own_form()
    {
        await using var proxy = await DynamoDbFaultProxy.StartAsync(Aws.DynamoDbEndpoint).WaitAsync(Deadline);
        await using var table = Aws.NewTable("ddb-throttle");
        using var client = Client(proxy, retries: 0);
        await CreateAsync(client, table);
        await PutAsync(client, table, "a", 1);

        proxy.Faults.Next(DynamoDbFaultKind.ProvisionedThroughputExceeded, "UpdateItem");
        proxy.Faults.Next(DynamoDbFaultKind.Throttling, "UpdateItem");
        var exceeded = await Assert.ThrowsAsync<ProvisionedThroughputExceededException>(() => IncrementAsync(client, table, "a")).WaitAsync(Deadline);
        var item = await GetAsync(client, table, "a");
        var throttled = await Assert.ThrowsAsync<ThrottlingException>(() => IncrementAsync(client, table, "a")).WaitAsync(Deadline);
        await IncrementAsync(client, table, "a").WaitAsync(Deadline);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, exceeded.StatusCode);
        Assert.Equal("ThrottlingException", throttled.ErrorCode);
        Assert.Equal(1, item);
        Assert.Equal(2, await GetAsync(client, table, "a"));
        var stats = proxy.Stats;
        Assert.Equal(1, stats.InjectedOf(DynamoDbFaultKind.ProvisionedThroughputExceeded, "UpdateItem"));
        Assert.Equal(1, stats.InjectedOf(DynamoDbFaultKind.Throttling));
        Assert.Equal(3, stats.RequestsOf("UpdateItem"));
        Assert.Equal(1, stats.ForwardedOf("UpdateItem"));
        Assert.All(proxy.Faults.Rules, r => Assert.True(r.IsSpent));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_sdk_retries_throttling_and_500s_itself_up_to_its_configured_attempts()
    {
        await using var proxy = await DynamoDbFaultProxy.StartAsync(Aws.DynamoDbEndpoint).WaitAsync(Deadline);
        await using var table = Aws.NewTable("ddb-retry");
        using var client = Client(proxy, retries: null);
        await CreateAsync(client, table);
        var config = (AmazonDynamoDBConfig)client.Config;
        output.WriteLine($"AmazonDynamoDBConfig defaults: RetryMode {config.RetryMode}, MaxErrorRetry {config.MaxErrorRetry}");

        proxy.Faults.Next(DynamoDbFaultKind.InternalServerError, "PutItem", 2);
        await PutAsync(client, table, "a", 1).WaitAsync(Deadline);
        Assert.Equal(3, proxy.Stats.RequestsOf("PutItem"));

        proxy.ResetStats();
        var always = proxy.Faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.ProvisionedThroughputExceeded) { Operation = "PutItem" });
        await Assert.ThrowsAsync<ProvisionedThroughputExceededException>(() => PutAsync(client, table, "b", 1)).WaitAsync(Deadline);
        output.WriteLine($"One PutItem call throttled throughout: {proxy.Stats.RequestsOf("PutItem")} requests");
        Assert.True(proxy.Stats.RequestsOf("PutItem") > config.MaxErrorRetry, "the SDK retried the throttled call at least MaxErrorRetry times");
        Assert.Equal(always.Hits, proxy.Stats.RequestsOf("PutItem"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_500_after_the_write_leaves_the_write_applied()
    {
        await using var proxy = await DynamoDbFaultProxy.StartAsync(Aws.DynamoDbEndpoint).WaitAsync(Deadline);
        await using var table = Aws.NewTable("ddb-dropped");
        using var client = Client(proxy, retries: 0);
        await CreateAsync(client, table);
        await PutAsync(client, table, "a", 1);

        proxy.Faults.Next(DynamoDbFaultKind.InternalServerErrorAfterWrite, "UpdateItem");
        await Assert.ThrowsAsync<InternalServerErrorException>(() => IncrementAsync(client, table, "a")).WaitAsync(Deadline);

        Assert.Equal(2, await GetAsync(client, table, "a"));
        Assert.Equal(1, proxy.Stats.ForwardedOf("UpdateItem"));
        Assert.Equal(1, proxy.Stats.InjectedOf(DynamoDbFaultKind.InternalServerErrorAfterWrite));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_reply_cut_after_the_write_is_sent_again_by_the_sdk_so_only_a_conditional_write_applies_once()
    {
        await using var proxy = await DynamoDbFaultProxy.StartAsync(Aws.DynamoDbEndpoint).WaitAsync(Deadline);
        await using var table = Aws.NewTable("ddb-cut");
        using var client = Client(proxy, retries: 0);
        await CreateAsync(client, table);
        await PutAsync(client, table, "a", 1);

        proxy.Faults.Next(DynamoDbFaultKind.ResetAfterWrite, "UpdateItem");
        await IncrementAsync(client, table, "a").WaitAsync(Deadline);
        var unconditional = await GetAsync(client, table, "a");
        proxy.Faults.Next(DynamoDbFaultKind.ResetAfterWrite, "UpdateItem");
        var refused = await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => IncrementAsync(client, table, "a", expected: 3)).WaitAsync(Deadline);

        output.WriteLine($"A cut reply was resent: {proxy.Stats.ForwardedOf("UpdateItem")} UpdateItem requests forwarded for 2 calls");
        Assert.Equal(3, unconditional);
        Assert.Equal(4, await GetAsync(client, table, "a"));
        Assert.Equal(4, proxy.Stats.ForwardedOf("UpdateItem"));
        Assert.Equal(2, proxy.Stats.InjectedOf(DynamoDbFaultKind.ResetAfterWrite));
        Assert.NotNull(refused.ErrorCode);
    }

    [Fact(Timeout = 60_000)]
    public async Task Resets_before_forwarding_leave_nothing_written()
    {
        await using var proxy = await DynamoDbFaultProxy.StartAsync(Aws.DynamoDbEndpoint).WaitAsync(Deadline);
        await using var table = Aws.NewTable("ddb-reset");
        using var client = Client(proxy, retries: 0);
        await CreateAsync(client, table);
        await PutAsync(client, table, "a", 1);

        var resets = proxy.Faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.Reset) { Operation = "UpdateItem" });
        await Assert.ThrowsAnyAsync<Exception>(() => IncrementAsync(client, table, "a")).WaitAsync(Deadline);
        resets.Remove();

        Assert.Equal(1, await GetAsync(client, table, "a"));
        Assert.Equal(0, proxy.Stats.ForwardedOf("UpdateItem"));
        Assert.Equal(resets.Hits, proxy.Stats.InjectedOf(DynamoDbFaultKind.Reset, "UpdateItem"));
        Assert.True(resets.Hits >= 1);
    }

    [Fact(Timeout = 60_000)]
    public async Task Latency_holds_a_request_until_the_proxy_clock_has_moved_on()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        await using var proxy = await DynamoDbFaultProxy.StartAsync(Aws.DynamoDbEndpoint, new DynamoDbFaultProxyOptions { TimeProvider = clock }).WaitAsync(Deadline);
        await using var table = Aws.NewTable("ddb-latency");
        using var client = Client(proxy, retries: 0);
        await CreateAsync(client, table);
        await PutAsync(client, table, "a", 1);

        proxy.Faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.Latency) { Operation = "GetItem", Delay = TimeSpan.FromSeconds(5), Count = 1 });
        var read = GetAsync(client, table, "a");
        await Eventually.HoldsAsync(() => proxy.Stats.InjectedOf(DynamoDbFaultKind.Latency) == 1, "the GetItem is held", Deadline);
        clock.Advance(TimeSpan.FromSeconds(4));
        var early = read.IsCompleted;
        clock.Advance(TimeSpan.FromSeconds(1));

        Assert.False(early);
        Assert.Equal(1, await read.WaitAsync(Deadline));
    }

    private AmazonDynamoDBClient Client(DynamoDbFaultProxy proxy, int? retries)
    {
        var config = new AmazonDynamoDBConfig { ServiceURL = proxy.Endpoint.ToString(), AuthenticationRegion = Aws.Region };
        if (retries is { } count)
        {
            config.MaxErrorRetry = count;
        }

        return new AmazonDynamoDBClient(Aws.Credentials, config);
    }

    // A new table is CREATING for a moment (dynalite, like DynamoDB), and item calls on it are refused until ACTIVE.
    private static async Task CreateAsync(AmazonDynamoDBClient client, string table)
    {
        await client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            KeySchema = [new KeySchemaElement("id", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("id", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }).WaitAsync(Deadline);
        await Eventually.HoldsAsync(
            async () => (await client.DescribeTableAsync(table)).Table.TableStatus == TableStatus.ACTIVE,
            () => $"table {table} active",
            Deadline);
    }

    private static Task<PutItemResponse> PutAsync(AmazonDynamoDBClient client, string table, string id, int value) =>
        client.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new() { ["id"] = new AttributeValue(id), ["n"] = new AttributeValue { N = value.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
        });

    private static Task<UpdateItemResponse> IncrementAsync(AmazonDynamoDBClient client, string table, string id, int? expected = null)
    {
        var values = new Dictionary<string, AttributeValue> { [":one"] = new AttributeValue { N = "1" } };
        if (expected is { } value)
        {
            values[":expected"] = new AttributeValue { N = value.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }

        return client.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { ["id"] = new AttributeValue(id) },
            UpdateExpression = "ADD n :one",
            ConditionExpression = expected is null ? null : "n = :expected",
            ExpressionAttributeValues = values,
        });
    }

    private static async Task<int> GetAsync(AmazonDynamoDBClient client, string table, string id)
    {
        var response = await client.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["id"] = new AttributeValue(id) }, ConsistentRead = true })
            .WaitAsync(Deadline);
        return int.Parse(response.Item["n"].N, System.Globalization.CultureInfo.InvariantCulture);
    }
}
