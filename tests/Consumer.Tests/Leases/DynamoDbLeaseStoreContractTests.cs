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

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _tables.DisposeAsync().AsTask();
}
