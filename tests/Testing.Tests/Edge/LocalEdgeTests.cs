using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Testing.Tests.Edge;

/// <summary>
/// Every service through the one port of the edge, as a client pointed at LocalStack's 4566 would use it: Kinesis in
/// JSON and CBOR, SubscribeToShard over HTTP/2, DynamoDB, CloudWatch; what it does not serve is refused by name.
/// </summary>
[Trait("Category", "Engine")]
public sealed class LocalEdgeTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false });
    private LocalEdge _edge = null!;

    private LocalAws Aws => fixture.Aws;

    public async Task InitializeAsync() =>
        _edge = await LocalEdge.StartAsync(Aws.KinesisEndpoint, Aws.DynamoDbEndpoint, Aws.Region).WaitAsync(Deadline);

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.Cbor)]
    public async Task Kinesis_calls_in_either_protocol_reach_kinesis_mock(WireProtocol protocol)
    {
        using var client = EdgeKinesis(protocol);
        await using var stream = await Aws.NewStreamAsync(1, "edge", through: client);
        var put = await client.PutRecordsAsync(stream, [new PutRecordsEntry("k", "through the edge"u8.ToArray())]).WaitAsync(Deadline);
        Assert.Equal(0, put.FailedRecordCount);

        var shard = Assert.Single(await client.ListAllShardsAsync(stream).WaitAsync(Deadline));
        var read = await EngineClients.ReadShardAsync(client, stream, shard.ShardId, expectedAtLeast: 1);

        Assert.Equal("through the edge", Encoding.UTF8.GetString(Assert.Single(read).Data.Span));
        Assert.True(_edge.Requests[EdgeService.Kinesis] >= 5, $"Kinesis requests counted at the edge: {_edge.Requests[EdgeService.Kinesis]}");
    }

    [Fact]
    public async Task SubscribeToShard_over_HTTP2_on_the_same_port_pushes_the_records_put()
    {
        using var client = EdgeKinesis(WireProtocol.Cbor);
        await using var stream = await Aws.NewStreamAsync(1, "edge-efo", through: client);
        var summary = await client.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline);
        var consumer = await client.RegisterStreamConsumerAsync(summary.StreamArn, "edge-reader").WaitAsync(Deadline);
        await Eventually.HoldsAsync(
            async () => (consumer = await client.DescribeStreamConsumerAsync(consumer.ConsumerArn)).IsActive,
            () => $"consumer {consumer.ConsumerArn} active",
            Deadline);
        var shard = Assert.Single(await client.ListAllShardsAsync(stream).WaitAsync(Deadline));
        await client.PutRecordsAsync(stream, [new PutRecordsEntry("a", "one"u8.ToArray()), new PutRecordsEntry("b", "two"u8.ToArray())]).WaitAsync(Deadline);

        await using var subscription = await client.SubscribeToShardAsync(consumer.ConsumerArn, shard.ShardId, SubscribePosition.TrimHorizon).WaitAsync(Deadline);
        var records = new List<string>();
        using var limit = new CancellationTokenSource(Deadline);
        while (records.Count < 2 && await subscription.ReadNextAsync(limit.Token) is { } next)
        {
            records.AddRange(next.Records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        }

        Assert.Equal(["one", "two"], records);
        Assert.Single(_edge.FanOut.Calls);
        Assert.Equal(1, _edge.Requests[EdgeService.SubscribeToShard]);
    }

    [Fact]
    public async Task DynamoDb_calls_reach_the_DynamoDB_engine()
    {
        using var dynamoDb = new AmazonDynamoDBClient(Aws.Credentials, new AmazonDynamoDBConfig { ServiceURL = _edge.Endpoint.ToString(), AuthenticationRegion = Aws.Region });
        await using var table = Aws.NewTable("edge-table");
        await dynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement("leaseKey", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("leaseKey", ScalarAttributeType.S)],
        }).WaitAsync(Deadline);
        await Eventually.HoldsAsync(
            async () => (await dynamoDb.DescribeTableAsync(table)).Table.TableStatus == TableStatus.ACTIVE, () => $"table {table} active", Deadline);

        await dynamoDb.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["leaseKey"] = new() { S = "shardId-000000000000" } }).WaitAsync(Deadline);
        var got = await dynamoDb.GetItemAsync(table, new Dictionary<string, AttributeValue> { ["leaseKey"] = new() { S = "shardId-000000000000" } }, consistentRead: true).WaitAsync(Deadline);

        Assert.True(got.IsItemSet);
        Assert.True(_edge.Requests[EdgeService.DynamoDb] >= 4);
    }

    [Fact]
    public async Task CloudWatch_query_calls_reach_the_loopback_CloudWatch()
    {
        using var cloudWatch = new CloudWatchClient(new CloudWatchClientOptions { ServiceUrl = _edge.Endpoint, Region = Aws.Region, Credentials = Aws.Credentials });

        await cloudWatch.PutMetricDataAsync("KinesisProducerLibrary", [new MetricDatum("UserRecordsPut") { Value = 3, Unit = MetricUnit.Count }]).WaitAsync(Deadline);

        var call = Assert.Single(_edge.CloudWatch.Calls);
        Assert.Equal(("KinesisProducerLibrary", "UserRecordsPut", 3.0), (call.Namespace, call.Data[0].MetricName, call.Data[0].Value));
    }

    [Fact]
    public async Task A_request_for_no_service_served_is_refused_naming_what_is_served()
    {
        using var request = EngineProbe.KinesisJson(_edge.Endpoint, Aws.Region, "PutRecordBatch", "{}");
        request.Headers.Remove("X-Amz-Target");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Firehose_20150804.PutRecordBatch");
        using var response = await Http.SendAsync(request).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("UnknownOperationException", error.RootElement.GetProperty("__type").GetString());
        Assert.Contains("Kinesis_20131202", error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_health_path_lists_the_services_running()
    {
        using var response = await Http.GetAsync(new Uri(_edge.Endpoint, EdgeRoute.HealthPath)).WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("running", health.RootElement.GetProperty("services").GetProperty("kinesis").GetString());
    }

    private KinesisClient EdgeKinesis(WireProtocol protocol) => new(new KinesisClientOptions
    {
        ServiceUrl = _edge.Endpoint,
        Region = Aws.Region,
        Credentials = Aws.Credentials,
        Protocol = protocol,
    });
}
