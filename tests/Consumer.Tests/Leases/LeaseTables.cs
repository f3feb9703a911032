using Amazon.DynamoDBv2;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>New lease tables on the test endpoint, deleted again when the test is done.</summary>
internal sealed class LeaseTables(LocalAws aws) : IAsyncDisposable
{
    private readonly List<string> _names = [];

    public AmazonDynamoDBClient Client { get; } = aws.CreateDynamoDbClient();

    public DynamoDbLeaseStore NewStore(int? scanPageSize = null, string? tableName = null, Microsoft.Extensions.Logging.ILogger? logger = null, string? coordinatorStateTable = null)
    {
        var name = tableName ?? LocalAws.UniqueName("leases");
        lock (_names)
        {
            _names.Add(name);
        }

        return new DynamoDbLeaseStore(Client, new LeaseTableOptions
        {
            TableName = name,
            ScanPageSize = scanPageSize,
            TableActivePollInterval = TimeSpan.FromMilliseconds(100),
            CoordinatorStateTableName = coordinatorStateTable,
        }, logger);
    }

    /// <summary>Remembers a table the test creates by other means, so it is deleted too.</summary>
    public string Track(string name)
    {
        lock (_names)
        {
            _names.Add(name);
        }

        return name;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in _names)
        {
            try
            {
                await Client.DeleteTableAsync(name);
            }
            catch (AmazonDynamoDBException)
            {
                // Never created, or already gone.
            }
        }

        Client.Dispose();
    }
}
