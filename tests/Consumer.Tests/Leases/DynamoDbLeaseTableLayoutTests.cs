using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>The table and items exactly as the Java KCL 2.x lays them out, read from DynamoDB directly.</summary>
[Trait("Category", "Engine")]
public sealed class DynamoDbLeaseTableLayoutTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>, IAsyncLifetime
{
    private const int Timeout = 30_000;
    private readonly LeaseTables _tables = new(fixture.Aws);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _tables.DisposeAsync().AsTask();

    private async Task<DynamoDbLeaseStore> NewTableAsync()
    {
        var store = _tables.NewStore();
        await store.CreateTableIfNotExistsAsync();
        return store;
    }

    private async Task<Dictionary<string, AttributeValue>> RawAsync(DynamoDbLeaseStore store, string key)
    {
        var response = await _tables.Client.GetItemAsync(new GetItemRequest
        {
            TableName = store.TableName,
            Key = new() { ["leaseKey"] = new AttributeValue { S = key } },
            ConsistentRead = true,
        });
        return response.Item;
    }

    private Task<PutItemResponse> PutRawAsync(DynamoDbLeaseStore store, Dictionary<string, AttributeValue> item) =>
        _tables.Client.PutItemAsync(new PutItemRequest { TableName = store.TableName, Item = item });

    [Fact(Timeout = Timeout)]
    public async Task The_table_is_keyed_on_leaseKey_as_a_string_and_billed_per_request()
    {
        var store = await NewTableAsync();

        var table = (await _tables.Client.DescribeTableAsync(store.TableName)).Table;

        Assert.Equal(TableStatus.ACTIVE, table.TableStatus);
        var key = Assert.Single(table.KeySchema);
        Assert.Equal(("leaseKey", KeyType.HASH), (key.AttributeName, key.KeyType));
        Assert.Equal(
            [("leaseKey", ScalarAttributeType.S), ("leaseOwner", ScalarAttributeType.S)],
            table.AttributeDefinitions.Select(d => (d.AttributeName, d.AttributeType)).OrderBy(d => d.AttributeName, StringComparer.Ordinal));
        Assert.Equal(BillingMode.PAY_PER_REQUEST, table.BillingModeSummary?.BillingMode);
    }

    [Fact(Timeout = Timeout)]
    public async Task The_table_has_the_KCL_3_index_from_lease_owner_to_lease_key_with_keys_only()
    {
        var store = await NewTableAsync();

        var table = (await _tables.Client.DescribeTableAsync(store.TableName)).Table;

        var index = Assert.Single(table.GlobalSecondaryIndexes);
        Assert.Equal("LeaseOwnerToLeaseKeyIndex", index.IndexName);
        Assert.Equal(
            [("leaseOwner", KeyType.HASH), ("leaseKey", KeyType.RANGE)],
            index.KeySchema.Select(k => (k.AttributeName, k.KeyType)));
        Assert.Equal(ProjectionType.KEYS_ONLY, index.Projection.ProjectionType);

        await store.CreateIfAbsentAsync(new Lease { LeaseKey = "shardId-000000000001", LeaseOwner = "worker-a" });
        await store.CreateIfAbsentAsync(Lease.ForNewShard("shardId-000000000002", ExtendedSequenceNumber.TrimHorizon));
        var owned = await _tables.Client.QueryAsync(new QueryRequest
        {
            TableName = store.TableName,
            IndexName = "LeaseOwnerToLeaseKeyIndex",
            KeyConditionExpression = "leaseOwner = :owner",
            ExpressionAttributeValues = new() { [":owner"] = new AttributeValue { S = "worker-a" } },
        });
        Assert.Equal(["shardId-000000000001"], owned.Items.Select(i => i["leaseKey"].S));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_provisioned_table_gets_the_capacity_asked_for()
    {
        var name = LocalAws.UniqueName("leases-provisioned");
        var store = new DynamoDbLeaseStore(_tables.Client, new LeaseTableOptions
        {
            TableName = name,
            ReadCapacityUnits = 7,
            WriteCapacityUnits = 3,
            TableActivePollInterval = TimeSpan.FromMilliseconds(100),
        });
        _ = _tables.NewStore(tableName: name);

        Assert.True(await store.CreateTableIfNotExistsAsync());

        var table = (await _tables.Client.DescribeTableAsync(name)).Table;
        Assert.Equal((7L, 3L), (table.ProvisionedThroughput.ReadCapacityUnits ?? 0, table.ProvisionedThroughput.WriteCapacityUnits ?? 0));
    }

    [Fact(Timeout = Timeout)]
    public async Task Every_attribute_is_written_with_the_KCL_name_and_type()
    {
        var store = await NewTableAsync();
        var lease = new Lease
        {
            LeaseKey = "shardId-000000000003",
            LeaseOwner = "worker-a",
            LeaseCounter = 42,
            Checkpoint = new ExtendedSequenceNumber("49590338271490256608559692538361571095921575989136588898", 3),
            PendingCheckpoint = new ExtendedSequenceNumber("49590338271490256608559692538361571095921575989136588999", 1),
            PendingCheckpointState = [1, 2, 3],
            OwnerSwitchesSinceCheckpoint = 5,
            ParentShardIds = Lease.ToSet(["shardId-000000000001", "shardId-000000000002"]),
            ChildShardIds = Lease.ToSet(["shardId-000000000004"]),
            HashKeyRange = HashKeyRange.Parse("0", "340282366920938463463374607431768211455"),
        };
        await store.CreateIfAbsentAsync(lease);

        var item = await RawAsync(store, lease.LeaseKey);

        Assert.Equal("shardId-000000000003", item["leaseKey"].S);
        Assert.Equal("worker-a", item["leaseOwner"].S);
        Assert.Equal("42", item["leaseCounter"].N);
        Assert.Equal("49590338271490256608559692538361571095921575989136588898", item["checkpoint"].S);
        Assert.Equal("3", item["checkpointSubSequenceNumber"].N);
        Assert.Equal("49590338271490256608559692538361571095921575989136588999", item["pendingCheckpoint"].S);
        Assert.Equal("1", item["pendingCheckpointSubSequenceNumber"].N);
        Assert.Equal(new byte[] { 1, 2, 3 }, item["pendingCheckpointState"].B.ToArray());
        Assert.Equal("5", item["ownerSwitchesSinceCheckpoint"].N);
        Assert.Equal(["shardId-000000000001", "shardId-000000000002"], item["parentShardId"].SS.Order(StringComparer.Ordinal));
        Assert.Equal(["shardId-000000000004"], item["childShardIds"].SS);
        Assert.Equal("0", item["startingHashKey"].S);
        Assert.Equal("340282366920938463463374607431768211455", item["endingHashKey"].S);
        Assert.Equal(13, item.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task An_unowned_lease_has_no_owner_attribute_and_a_release_removes_it()
    {
        var store = await NewTableAsync();
        await store.CreateIfAbsentAsync(Lease.ForNewShard("shardId-000000000000", ExtendedSequenceNumber.TrimHorizon));

        var fresh = await RawAsync(store, "shardId-000000000000");
        Assert.False(fresh.ContainsKey("leaseOwner"));
        Assert.Equal("TRIM_HORIZON", fresh["checkpoint"].S);
        Assert.Equal("0", fresh["leaseCounter"].N);

        var taken = await store.TakeAsync((await store.GetAsync("shardId-000000000000"))!, "worker-a");
        Assert.Equal("worker-a", (await RawAsync(store, "shardId-000000000000"))["leaseOwner"].S);
        await store.ReleaseAsync(taken!);

        var released = await RawAsync(store, "shardId-000000000000");
        Assert.False(released.ContainsKey("leaseOwner"));
        Assert.Equal("2", released["leaseCounter"].N);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_row_written_by_the_Java_KCL_reads_back_and_keeps_attributes_this_library_does_not_know()
    {
        var store = await NewTableAsync();
        await PutRawAsync(store, new()
        {
            ["leaseKey"] = new AttributeValue { S = "shardId-000000000005" },
            ["leaseOwner"] = new AttributeValue { S = "java-worker" },
            ["leaseCounter"] = new AttributeValue { N = "17" },
            ["checkpoint"] = new AttributeValue { S = "SHARD_END" },
            ["checkpointSubSequenceNumber"] = new AttributeValue { N = "0" },
            ["ownerSwitchesSinceCheckpoint"] = new AttributeValue { N = "1" },
            ["parentShardId"] = new AttributeValue { SS = ["shardId-000000000001"] },
            ["startingHashKey"] = new AttributeValue { S = "10" },
            ["endingHashKey"] = new AttributeValue { S = "20" },
            ["throughputKBps"] = new AttributeValue { N = "12.5" },
        });

        var lease = (await store.GetAsync("shardId-000000000005"))!;

        Assert.Equal("java-worker", lease.LeaseOwner);
        Assert.Equal(17, lease.LeaseCounter);
        Assert.True(lease.IsFinished);
        Assert.Equal(1, lease.OwnerSwitchesSinceCheckpoint);
        Assert.Equal(["shardId-000000000001"], lease.ParentShardIds);
        Assert.Equal(HashKeyRange.Parse("10", "20"), lease.HashKeyRange);

        var taken = await store.TakeAsync(lease, "dotnet-worker");
        await store.UpdateChildShardsAsync(taken!, ["shardId-000000000007", "shardId-000000000008"]);

        var item = await RawAsync(store, "shardId-000000000005");
        Assert.Equal("12.5", item["throughputKBps"].N);
        Assert.Equal("dotnet-worker", item["leaseOwner"].S);
        Assert.Equal("19", item["leaseCounter"].N);
        Assert.Equal("2", item["ownerSwitchesSinceCheckpoint"].N);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_numeric_pendingCheckpointState_reads_as_no_state()
    {
        var store = await NewTableAsync();
        await PutRawAsync(store, new()
        {
            ["leaseKey"] = new AttributeValue { S = "shardId-000000000006" },
            ["leaseCounter"] = new AttributeValue { N = "0" },
            ["checkpoint"] = new AttributeValue { S = "TRIM_HORIZON" },
            ["checkpointSubSequenceNumber"] = new AttributeValue { N = "0" },
            ["ownerSwitchesSinceCheckpoint"] = new AttributeValue { N = "0" },
            ["pendingCheckpointState"] = new AttributeValue { N = "0" },
        });

        Assert.Null((await store.GetAsync("shardId-000000000006"))!.PendingCheckpointState);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_row_the_KCL_would_never_write_is_skipped_logged_once_and_left_as_it_is()
    {
        var logger = new TestLogger();
        var store = _tables.NewStore(logger: logger);
        await store.CreateTableIfNotExistsAsync();
        await store.CreateIfAbsentAsync(Lease.ForNewShard("shardId-000000000001", ExtendedSequenceNumber.TrimHorizon));
        var garbage = new Dictionary<string, AttributeValue>
        {
            ["leaseKey"] = new AttributeValue { S = "shardId-000000000009" },
            ["leaseCounter"] = new AttributeValue { N = "0" },
            ["checkpoint"] = new AttributeValue { S = "somewhere" },
        };
        await PutRawAsync(store, garbage);

        var first = await store.ListAsync();
        var second = await store.ListAsync();

        Assert.Equal(["shardId-000000000001"], first.Select(l => l.LeaseKey));
        Assert.Equal(["shardId-000000000001"], second.Select(l => l.LeaseKey));
        var logged = Assert.Single(logger.WithId(2111));
        Assert.Contains("shardId-000000000009", logged.Message, StringComparison.Ordinal);
        Assert.Equal(garbage.Keys.Order(StringComparer.Ordinal), (await RawAsync(store, "shardId-000000000009")).Keys.Order(StringComparer.Ordinal));
        Assert.Equal("somewhere", (await RawAsync(store, "shardId-000000000009"))["checkpoint"].S);
    }

    [Fact(Timeout = Timeout)]
    public async Task Operations_on_a_missing_table_throw_the_service_error()
    {
        var store = _tables.NewStore();

        await Assert.ThrowsAsync<Amazon.DynamoDBv2.Model.ResourceNotFoundException>(() => store.ListAsync());
        await Assert.ThrowsAsync<Amazon.DynamoDBv2.Model.ResourceNotFoundException>(
            () => store.RenewAsync(new Lease { LeaseKey = "shardId-000000000000", LeaseOwner = "w", LeaseCounter = 1 }));
    }

    [Fact]
    public void Options_are_checked_when_the_store_is_built()
    {
        Assert.Equal("TableName", Assert.Throws<ArgumentException>(() => _tables.NewStore(tableName: "x")).ParamName);
        var halfProvisioned = Assert.Throws<ArgumentException>(() => new DynamoDbLeaseStore(
            _tables.Client, new LeaseTableOptions { TableName = "leases", ReadCapacityUnits = 5 }));
        Assert.Equal("WriteCapacityUnits", halfProvisioned.ParamName);
        Assert.Equal("ScanPageSize", Assert.Throws<ArgumentException>(() => _tables.NewStore(scanPageSize: 0)).ParamName);
    }
}
