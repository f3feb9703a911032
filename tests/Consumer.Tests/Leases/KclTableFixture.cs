using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// A lease table (and, for KCL 3.0-3.4, its coordinator state table) filled from one of the Fixtures/*.json files:
/// items in DynamoDB's JSON form, exactly as a Java KCL version writes them, with <c>${start:SHARD}</c> and
/// <c>${end:SHARD}</c> filled from the test stream's shards.
/// </summary>
internal sealed class KclTableFixture
{
    private readonly IAmazonDynamoDB _client;

    private KclTableFixture(IAmazonDynamoDB client, string leaseTable, string coordinatorTable)
    {
        _client = client;
        LeaseTable = leaseTable;
        CoordinatorTable = coordinatorTable;
    }

    public string LeaseTable { get; }

    public string CoordinatorTable { get; }

    /// <summary>Creates the tables as the Java KCL does (hash key only, on demand) and writes the fixture's items.</summary>
    public static async Task<KclTableFixture> LoadAsync(
        IAmazonDynamoDB client, string file, string leaseTable, string coordinatorTable, IReadOnlyList<Shard> shards)
    {
        var text = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", file));
        foreach (var shard in shards)
        {
            text = text
                .Replace($"${{start:{shard.ShardId}}}", shard.HashKeyRange.StartingHashKey.ToString(), StringComparison.Ordinal)
                .Replace($"${{end:{shard.ShardId}}}", shard.HashKeyRange.EndingHashKey.ToString(), StringComparison.Ordinal);
        }

        using var json = JsonDocument.Parse(text);
        var fixture = new KclTableFixture(client, leaseTable, coordinatorTable);
        await fixture.FillAsync(leaseTable, "leaseKey", json.RootElement.GetProperty("leaseTable"));
        if (json.RootElement.TryGetProperty("coordinatorStateTable", out var coordinator))
        {
            await fixture.FillAsync(coordinatorTable, "key", coordinator);
        }

        return fixture;
    }

    /// <summary>Every item of both tables, each as canonical text, by table and key.</summary>
    public async Task<Dictionary<string, string>> SnapshotAsync()
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (table, key) in new[] { (LeaseTable, "leaseKey"), (CoordinatorTable, "key") })
        {
            ScanResponse page;
            try
            {
                page = await _client.ScanAsync(new ScanRequest { TableName = table, ConsistentRead = true });
            }
            catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
            {
                continue;
            }

            foreach (var item in page.Items)
            {
                all[$"{table}/{item[key].S}"] = Canonical(item);
            }
        }

        return all;
    }

    public async Task<Dictionary<string, AttributeValue>> RawAsync(string leaseKey) =>
        (await _client.GetItemAsync(new GetItemRequest
        {
            TableName = LeaseTable,
            Key = new() { ["leaseKey"] = new AttributeValue { S = leaseKey } },
            ConsistentRead = true,
        })).Item;

    public static string Canonical(Dictionary<string, AttributeValue> item) =>
        "{" + string.Join(",", item.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Canonical(p.Value)}")) + "}";

    private static string Canonical(AttributeValue value) =>
        value.S is { } s ? "S:" + s
        : value.N is { } n ? "N:" + n
        : value.SS is { Count: > 0 } ss ? "SS:[" + string.Join(",", ss.Order(StringComparer.Ordinal)) + "]"
        : value.B is { } b ? "B:" + Convert.ToBase64String(b.ToArray())
        : value.BOOL is { } flag ? "BOOL:" + flag
        : value.M is { Count: > 0 } m ? "M:" + Canonical(m)
        : value.L is { } l ? "L:[" + string.Join(",", l.Select(Canonical)) + "]"
        : "NULL";

    private async Task FillAsync(string table, string keyAttribute, JsonElement items)
    {
        await _client.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            KeySchema = [new KeySchemaElement(keyAttribute, KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition(keyAttribute, ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        await Eventually.HoldsAsync(
            async () => (await _client.DescribeTableAsync(table)).Table.TableStatus == TableStatus.ACTIVE,
            () => $"table {table} active",
            TimeSpan.FromSeconds(30));
        foreach (var item in items.EnumerateArray())
        {
            await _client.PutItemAsync(new PutItemRequest { TableName = table, Item = ItemOf(item) });
        }
    }

    internal static Dictionary<string, AttributeValue> ItemOf(JsonElement item) =>
        item.EnumerateObject().ToDictionary(p => p.Name, p => ValueOf(p.Value), StringComparer.Ordinal);

    private static AttributeValue ValueOf(JsonElement typed)
    {
        var only = typed.EnumerateObject().Single();
        return only.Name switch
        {
            "S" => new AttributeValue { S = only.Value.GetString() },
            "N" => new AttributeValue { N = only.Value.GetString() },
            "SS" => new AttributeValue { SS = only.Value.EnumerateArray().Select(v => v.GetString()!).ToList() },
            "B" => new AttributeValue { B = new MemoryStream(Convert.FromBase64String(only.Value.GetString()!)) },
            "BOOL" => new AttributeValue { BOOL = only.Value.GetBoolean() },
            "L" => new AttributeValue { L = only.Value.EnumerateArray().Select(ValueOf).ToList() },
            "M" => new AttributeValue { M = ItemOf(only.Value) },
            _ => throw new InvalidDataException($"Fixture attribute type {only.Name} is not handled."),
        };
    }
}
