namespace Kinesis.Clients.Testing.Tests.Edge;

/// <summary>The edge picks a service as LocalStack's gateway does: target prefix first, then the signing name.</summary>
public sealed class EdgeRouteTests
{
    private static string SignedFor(string service) =>
        $"AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00";

    [Theory]
    [InlineData("Kinesis_20131202.PutRecords", "kinesis", EdgeService.Kinesis)]
    [InlineData("Kinesis_20131202.CreateStream", "kinesis", EdgeService.Kinesis)]
    [InlineData("Kinesis_20131202.SubscribeToShard", "kinesis", EdgeService.SubscribeToShard)]
    [InlineData("Kinesis_20131202.SubscribeToShardX", "kinesis", EdgeService.Kinesis)]
    [InlineData("DynamoDB_20120810.UpdateItem", "dynamodb", EdgeService.DynamoDb)]
    [InlineData("DynamoDB_20120810.ListTables", "kinesis", EdgeService.DynamoDb)]
    [InlineData("Firehose_20150804.PutRecordBatch", "firehose", EdgeService.Unknown)]
    [InlineData("kinesis_20131202.PutRecords", "kinesis", EdgeService.Unknown)]
    public void A_target_decides_whatever_the_signing_name(string target, string service, EdgeService expected) =>
        Assert.Equal(expected, EdgeRoute.For("POST", "/", target, SignedFor(service)));

    [Theory]
    [InlineData("monitoring", EdgeService.CloudWatch)]
    [InlineData("kinesis", EdgeService.Unknown)]
    [InlineData("sts", EdgeService.Unknown)]
    public void Without_a_target_the_signing_name_decides(string service, EdgeService expected) =>
        Assert.Equal(expected, EdgeRoute.For("POST", "/", null, SignedFor(service)));

    [Fact]
    public void An_unsigned_request_without_a_target_is_for_no_service() =>
        Assert.Equal(EdgeService.Unknown, EdgeRoute.For("POST", "/", "", ""));

    [Theory]
    [InlineData("GET", "/_localstack/health", EdgeService.Health)]
    [InlineData("POST", "/_localstack/health", EdgeService.Unknown)]
    [InlineData("GET", "/", EdgeService.Unknown)]
    public void The_health_path_answers_GET_only(string method, string path, EdgeService expected) =>
        Assert.Equal(expected, EdgeRoute.For(method, path, null, null));
}
