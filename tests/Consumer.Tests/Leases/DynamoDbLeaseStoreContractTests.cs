using Amazon.DynamoDBv2;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>The store contract against DynamoDB (dynalite, or the external endpoint), one new table per test.</summary>
[Trait("Category", "Engine")]
public sealed class DynamoDbLeaseStoreContractTests(LocalAwsFixture fixture)
    : LeaseStoreContract, IClassFixture<LocalAwsFixture>, IAsyncLifetime
{
    private readonly LeaseTables _tables = new(fixture.Aws);

    internal override async Task<ILeaseStore> NewStoreAsync(bool createTable = true)
    {
        // Small pages, so listing has to follow LastEvaluatedKey.
        var store = _tables.NewStore(scanPageSize: 4);
        if (createTable)
        {
            await store.CreateTableIfNotExistsAsync();
        }

        return store;
    }

    // The KCL leader's write, condition included: the current owner, and no handoff already under way.
    internal override Task InitiateHandoffAsync(ILeaseStore store, string leaseKey, string currentOwner, string nextOwner) =>
        _tables.Client.UpdateItemAsync(new Amazon.DynamoDBv2.Model.UpdateItemRequest
        {
            TableName = ((DynamoDbLeaseStore)store).TableName,
            Key = new() { ["leaseKey"] = new Amazon.DynamoDBv2.Model.AttributeValue { S = leaseKey } },
            UpdateExpression = "SET leaseOwner = :next, checkpointOwner = :current",
            ConditionExpression = "attribute_exists(leaseKey) AND leaseOwner = :current AND attribute_not_exists(checkpointOwner)",
            ExpressionAttributeValues = new()
            {
                [":next"] = new Amazon.DynamoDBv2.Model.AttributeValue { S = nextOwner },
                [":current"] = new Amazon.DynamoDBv2.Model.AttributeValue { S = currentOwner },
            },
        });

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _tables.DisposeAsync().AsTask();
}
