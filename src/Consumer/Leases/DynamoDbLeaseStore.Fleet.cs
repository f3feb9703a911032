using Amazon.DynamoDBv2.Model;
using TableNotFoundException = Amazon.DynamoDBv2.Model.ResourceNotFoundException;

namespace Kinesis.Clients.Consumer.Leases;

internal sealed partial class DynamoDbLeaseStore
{
    /// <summary>
    /// The client version a KCL 3.x fleet recorded for this table: the <c>Migration3.0</c> row of the lease table
    /// (KCL 3.5 single-table mode) or, when there is none, of <see cref="LeaseTableOptions.CoordinatorStateTableName"/>
    /// (KCL 3.0-3.4); <see langword="null"/> when neither has one (a KCL 2.x table, or a new one).
    /// </summary>
    public async Task<FleetClientVersion?> ReadFleetClientVersionAsync(CancellationToken cancellationToken = default)
    {
        if (await ReadClientVersionAsync(TableName, LeaseAttributes.LeaseKey, cancellationToken).ConfigureAwait(false) is { } inLeaseTable)
        {
            return new FleetClientVersion(inLeaseTable, TableName);
        }

        if (_options.CoordinatorStateTableName is { } coordinator &&
            await ReadClientVersionAsync(coordinator, KclFleetMode.CoordinatorStateKeyAttribute, cancellationToken).ConfigureAwait(false) is { } inCoordinatorTable)
        {
            return new FleetClientVersion(inCoordinatorTable, coordinator);
        }

        return null;
    }

    private async Task<string?> ReadClientVersionAsync(string table, string keyAttribute, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetItemAsync(
                new GetItemRequest
                {
                    TableName = table,
                    Key = new(StringComparer.Ordinal) { [keyAttribute] = LeaseSerializer.S(KclFleetMode.MigrationKey) },
                    ConsistentRead = true,
                },
                cancellationToken).ConfigureAwait(false);
            return response.Item is { } item && item.TryGetValue(KclFleetMode.ClientVersionAttribute, out var cv) ? cv.S : null;
        }
        catch (TableNotFoundException) when (table != TableName)
        {
            return null;
        }
    }
}
