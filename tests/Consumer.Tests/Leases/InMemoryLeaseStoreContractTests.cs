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

    internal override async Task InitiateHandoffAsync(ILeaseStore store, string leaseKey, string currentOwner, string nextOwner) =>
        Assert.NotNull(await ((InMemoryLeaseStore)store).InitiateHandoffAsync(leaseKey, nextOwner));
}
