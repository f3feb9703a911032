using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
// Kinesis.Clients has Kinesis exceptions of the same names, which this namespace would otherwise pick.
using TableInUseException = Amazon.DynamoDBv2.Model.ResourceInUseException;
using TableNotFoundException = Amazon.DynamoDBv2.Model.ResourceNotFoundException;

namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// The lease table in DynamoDB, item for item as the Java KCL 2.x reads and writes it, so a Java fleet and this
/// library can share one table. Thread-safe; the client is not disposed with the store.
/// </summary>
/// <remarks>
/// Transient DynamoDB errors are retried by the SDK client itself; what is left of them throws from here.
/// </remarks>
internal sealed partial class DynamoDbLeaseStore : ILeaseStore
{
    private readonly IAmazonDynamoDB _client;
    private readonly LeaseTableOptions _options;
    private readonly ILogger _logger;
    private readonly HashSet<string> _skipped = new(StringComparer.Ordinal);

    public DynamoDbLeaseStore(IAmazonDynamoDB client, LeaseTableOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The KCL 3.x global secondary index on <c>leaseOwner</c> (hash) and <c>leaseKey</c> (range).</summary>
    public const string LeaseOwnerToLeaseKeyIndexName = "LeaseOwnerToLeaseKeyIndex";

    public string TableName => _options.TableName;

    public async Task<bool> CreateTableIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        var created = false;
        if (await DescribeStatusAsync(cancellationToken).ConfigureAwait(false) is null)
        {
            var provisioned = _options.ReadCapacityUnits is { } read && _options.WriteCapacityUnits is { } write
                ? new ProvisionedThroughput(read, write)
                : null;
            try
            {
                await _client.CreateTableAsync(
                    new CreateTableRequest
                    {
                        TableName = TableName,
                        KeySchema = [new KeySchemaElement(LeaseAttributes.LeaseKey, KeyType.HASH)],
                        AttributeDefinitions =
                        [
                            new AttributeDefinition(LeaseAttributes.LeaseKey, ScalarAttributeType.S),
                            new AttributeDefinition(LeaseAttributes.LeaseOwner, ScalarAttributeType.S),
                        ],
                        BillingMode = provisioned is null ? BillingMode.PAY_PER_REQUEST : BillingMode.PROVISIONED,
                        ProvisionedThroughput = provisioned,
                        GlobalSecondaryIndexes = [LeaseOwnerIndex(provisioned)],
                        DeletionProtectionEnabled = _options.DeletionProtectionEnabled,
                        Tags = _options.Tags.Count > 0 ? _options.Tags.Select(t => new Tag { Key = t.Key, Value = t.Value }).ToList() : null,
                    },
                    cancellationToken).ConfigureAwait(false);
                created = true;
                LeaseLog.TableCreated(_logger, TableName, provisioned is null ? "PAY_PER_REQUEST" : "PROVISIONED");
            }
            catch (TableInUseException)
            {
                // Another worker created it between our describe and create: same outcome.
            }
        }

        await WaitUntilActiveAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>
    /// The KCL 3.x index from worker to lease keys, created with the table exactly as the KCL creates it (its leader
    /// and lease discovery query it), so a fleet can later move to KCL 3.x on this table without adding it. Our
    /// workers list the whole table each take round, as KCL 2.x workers do, and never query it.
    /// </summary>
    private static GlobalSecondaryIndex LeaseOwnerIndex(ProvisionedThroughput? provisioned) => new()
    {
        IndexName = LeaseOwnerToLeaseKeyIndexName,
        KeySchema =
        [
            new KeySchemaElement(LeaseAttributes.LeaseOwner, KeyType.HASH),
            new KeySchemaElement(LeaseAttributes.LeaseKey, KeyType.RANGE),
        ],
        Projection = new Projection { ProjectionType = ProjectionType.KEYS_ONLY },
        ProvisionedThroughput = provisioned is null ? null : new ProvisionedThroughput(provisioned.ReadCapacityUnits, provisioned.WriteCapacityUnits),
    };

    public async Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken = default)
    {
        var leases = new List<Lease>();
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var response = await _client.ScanAsync(
                new ScanRequest
                {
                    TableName = TableName,
                    ConsistentRead = true,
                    ExclusiveStartKey = startKey,
                    Limit = _options.ScanPageSize,
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var item in response.Items ?? [])
            {
                if (TryRead(item) is { } lease)
                {
                    leases.Add(lease);
                }
            }

            startKey = response.LastEvaluatedKey is { Count: > 0 } next ? next : null;
        }
        while (startKey is not null);

        return leases;
    }

    public async Task<Lease?> GetAsync(string leaseKey, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckKey(leaseKey, nameof(leaseKey));
        var response = await _client.GetItemAsync(
            new GetItemRequest { TableName = TableName, Key = LeaseSerializer.Key(leaseKey), ConsistentRead = true },
            cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item && LeaseSerializer.IsLease(item) ? LeaseSerializer.FromItem(item) : null;
    }

    /// <summary>
    /// A listed row as a lease; <see langword="null"/> for a KCL 3.x coordinator or worker-metrics row (never a
    /// lease, never touched) and for a row that cannot be read, which is logged once and left as it is, as the KCL
    /// skips rows it cannot deserialize rather than failing the whole listing.
    /// </summary>
    private Lease? TryRead(Dictionary<string, AttributeValue> item)
    {
        try
        {
            return LeaseSerializer.IsLease(item) ? LeaseSerializer.FromItem(item) : null;
        }
        catch (InvalidDataException e)
        {
            var key = LeaseSerializer.KeyOf(item);
            bool first;
            lock (_skipped)
            {
                first = _skipped.Add(key);
            }

            if (first)
            {
                LeaseLog.RowSkipped(_logger, TableName, key, e.Message);
            }

            return null;
        }
    }

    public async Task<Lease?> CreateIfAbsentAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckNew(lease);
        try
        {
            await _client.PutItemAsync(
                new PutItemRequest
                {
                    TableName = TableName,
                    Item = LeaseSerializer.ToItem(lease),
                    ConditionExpression = "attribute_not_exists(#key)",
                    ExpressionAttributeNames = new() { ["#key"] = LeaseAttributes.LeaseKey },
                },
                cancellationToken).ConfigureAwait(false);
            return lease;
        }
        catch (ConditionalCheckFailedException)
        {
            return null;
        }
    }

    public async Task<bool> DeleteAsync(Lease observed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observed);
        LeaseWrites.CheckKey(observed.LeaseKey, nameof(observed));
        var values = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [":counter"] = LeaseSerializer.N(observed.LeaseCounter),
            [":checkpoint"] = LeaseSerializer.S(observed.Checkpoint.SequenceNumber),
        };
        var owner = "attribute_not_exists(#owner)";
        if (observed.LeaseOwner is { } leaseOwner)
        {
            owner = "#owner = :owner";
            values[":owner"] = LeaseSerializer.S(leaseOwner);
        }

        try
        {
            await _client.DeleteItemAsync(
                new DeleteItemRequest
                {
                    TableName = TableName,
                    Key = LeaseSerializer.Key(observed.LeaseKey),
                    ConditionExpression = $"#counter = :counter AND #checkpoint = :checkpoint AND {owner}",
                    ExpressionAttributeNames = new()
                    {
                        ["#counter"] = LeaseAttributes.LeaseCounter,
                        ["#checkpoint"] = LeaseAttributes.Checkpoint,
                        ["#owner"] = LeaseAttributes.LeaseOwner,
                    },
                    ExpressionAttributeValues = values,
                },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    private async Task<TableStatus?> DescribeStatusAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.DescribeTableAsync(new DescribeTableRequest { TableName = TableName }, cancellationToken)
                .ConfigureAwait(false);
            return response.Table.TableStatus;
        }
        catch (TableNotFoundException)
        {
            return null;
        }
    }

    private async Task WaitUntilActiveAsync(CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        var started = time.GetTimestamp();
        while (true)
        {
            var status = await DescribeStatusAsync(cancellationToken).ConfigureAwait(false);
            if (status == TableStatus.ACTIVE)
            {
                return;
            }

            var waited = time.GetElapsedTime(started);
            if (waited >= _options.TableActiveTimeout)
            {
                throw new TimeoutException(
                    $"Lease table {TableName} is still {status?.Value ?? "missing"} after {waited.TotalSeconds:0} s (TableActiveTimeout {_options.TableActiveTimeout}).");
            }

            await Task.Delay(_options.TableActivePollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
