using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

public sealed class InMemoryLeaseStoreContractTests : LeaseStoreContract
{
    internal override async Task<ILeaseStore> NewStoreAsync(bool createTable = true)
    {
        var store = new InMemoryLeaseStore();
        if (createTable)
        {
            await store.CreateTableIfNotExistsAsync();
        }

        return store;
    }
}
