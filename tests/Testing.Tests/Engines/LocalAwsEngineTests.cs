using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Testing.Tests.Engines;

[Trait("Category", "Engine")]
public sealed class LocalAwsEngineTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false });

    private LocalAws Aws => fixture.Aws;

    [Fact]
    public async Task DynamoDb_stores_an_item_and_returns_it()
    {
        using var dynamo = Aws.CreateDynamoDbClient();
        await using var table = Aws.NewTable("kit-table");

        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("leaseKey", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("leaseKey", ScalarAttributeType.S)],
        }).WaitAsync(Timeout);
        await WaitUntilActiveAsync(dynamo, table).WaitAsync(Timeout);

        await dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = new()
            {
                ["leaseKey"] = new AttributeValue { S = "shardId-000000000000" },
                ["leaseCounter"] = new AttributeValue { N = "7" },
            },
            ConditionExpression = "attribute_not_exists(leaseKey)",
        }).WaitAsync(Timeout);

        var got = await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { ["leaseKey"] = new AttributeValue { S = "shardId-000000000000" } },
            ConsistentRead = true,
        }).WaitAsync(Timeout);

        Assert.True(got.IsItemSet);
        Assert.Equal("7", got.Item["leaseCounter"].N);
        await dynamo.DeleteTableAsync(table).WaitAsync(Timeout);
    }

    [Fact]
    public async Task DynamoDb_rejects_a_failed_condition_as_the_service_does()
    {
        using var dynamo = Aws.CreateDynamoDbClient();
        await using var table = Aws.NewTable("kit-cond");
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("leaseKey", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("leaseKey", ScalarAttributeType.S)],
        }).WaitAsync(Timeout);
        await WaitUntilActiveAsync(dynamo, table).WaitAsync(Timeout);

        var put = new PutItemRequest
        {
            TableName = table,
            Item = new() { ["leaseKey"] = new AttributeValue { S = "a" } },
            ConditionExpression = "attribute_not_exists(leaseKey)",
        };
        await dynamo.PutItemAsync(put).WaitAsync(Timeout);

        await Assert.ThrowsAsync<ConditionalCheckFailedException>(() => dynamo.PutItemAsync(put).WaitAsync(Timeout));
        await dynamo.DeleteTableAsync(table).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Kinesis_answers_ListStreams_with_stream_names()
    {
        using var request = EngineProbe.KinesisListStreams(Aws.KinesisEndpoint, Aws.Region);
        using var response = await Http.SendAsync(request).WaitAsync(Timeout);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("StreamNames").ValueKind);
    }

    [Fact]
    public async Task Kinesis_refuses_a_request_without_a_signature()
    {
        using var request = EngineProbe.KinesisListStreams(Aws.KinesisEndpoint, Aws.Region);
        request.Headers.Remove("Authorization");
        using var response = await Http.SendAsync(request).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Kinesis_creates_a_stream_that_becomes_active_and_listed()
    {
        // Created by hand, not through the kit's TestStream, so booked and deleted by hand too.
        var stream = LocalAws.UniqueName("kit-stream");
        await ShardBudget.Shared.AcquireAsync(stream, 2).WaitAsync(Timeout);
        try
        {
            var created = await CallKinesisAsync("CreateStream", $$"""{"StreamName":"{{stream}}","ShardCount":2}""");
            Assert.Equal(HttpStatusCode.OK, created.Status);

            await WaitForAsync(async () =>
            {
                var summary = await CallKinesisAsync("DescribeStreamSummary", $$"""{"StreamName":"{{stream}}"}""");
                return summary.Status == HttpStatusCode.OK &&
                    summary.Body.RootElement.GetProperty("StreamDescriptionSummary").GetProperty("StreamStatus").GetString() == "ACTIVE";
            }).WaitAsync(Timeout);

            var listed = await CallKinesisAsync("ListStreams", "{}");
            Assert.Contains(
                listed.Body.RootElement.GetProperty("StreamNames").EnumerateArray(),
                name => name.GetString() == stream);

            var shards = await CallKinesisAsync("ListShards", $$"""{"StreamName":"{{stream}}"}""");
            Assert.Equal(2, shards.Body.RootElement.GetProperty("Shards").GetArrayLength());

            await CallKinesisAsync("DeleteStream", $$"""{"StreamName":"{{stream}}"}""");
        }
        finally
        {
            await TestStream.DeleteAsync(Aws.Kinesis, stream);
            ShardBudget.Shared.Release(stream);
        }
    }

    private async Task<(HttpStatusCode Status, JsonDocument Body)> CallKinesisAsync(string operation, string json)
    {
        using var request = EngineProbe.KinesisJson(Aws.KinesisEndpoint, Aws.Region, operation, json);
        using var response = await Http.SendAsync(request).WaitAsync(Timeout);
        var body = await response.Content.ReadAsStringAsync().WaitAsync(Timeout);
        return (response.StatusCode, JsonDocument.Parse(body.Length == 0 ? "{}" : body));
    }

    private static Task WaitUntilActiveAsync(AmazonDynamoDBClient dynamo, string table) =>
        WaitForAsync(async () => (await dynamo.DescribeTableAsync(table)).Table.TableStatus == TableStatus.ACTIVE);

    private static Task WaitForAsync(Func<Task<bool>> condition) =>
        Eventually.HoldsAsync(condition, () => "the engine to reach the awaited state", Timeout);
}
