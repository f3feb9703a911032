using System.Globalization;
using Amazon.Runtime;
using Kinesis.Clients;
using Kinesis.Clients.Testing;

// kinesis-local-edge [--port N]
//
// Starts kinesis-mock and dynalite with LocalStack's defaults and the kit's LocalStack-style edge in front of them on
// 127.0.0.1:N (4566 unless given; 0 picks a free port), prints "kinesis-local-edge: listening on <url>", and runs
// until its standard input closes (or Ctrl-C). Before it exits it lists what is left in the engines: streams (with
// their stream consumers) and tables. Exit code 0 when nothing is left, 3 when something is, 2 for bad arguments,
// 1 when the engines or the edge cannot start.
var port = 4566;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--port" && i + 1 < args.Length &&
        int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var given) && given <= 65535)
    {
        port = given;
        i++;
    }
    else
    {
        await Console.Error.WriteLineAsync($"kinesis-local-edge: unknown argument '{args[i]}'. Usage: kinesis-local-edge [--port N] (N: 0 to 65535, 0 for a free port)");
        return 2;
    }
}

LocalEngines engines;
LocalEdge edge;
try
{
    engines = await LocalEngines.StartAsync();
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or AggregateException)
{
    await Console.Error.WriteLineAsync($"kinesis-local-edge: the engines did not start: {e.Message}");
    return 1;
}

try
{
    edge = await LocalEdge.StartAsync(engines.KinesisEndpoint, engines.DynamoDbEndpoint, LocalEngines.Region, port);
}
catch (IOException e)
{
    await engines.DisposeAsync();
    await Console.Error.WriteLineAsync($"kinesis-local-edge: cannot listen on 127.0.0.1:{port}: {e.Message}");
    return 1;
}

Console.WriteLine($"kinesis-local-edge: listening on {edge.Endpoint}");
Console.WriteLine($"kinesis-local-edge: kinesis-mock {engines.KinesisEndpoint}, dynalite {engines.DynamoDbEndpoint}; stop with Ctrl-D or Ctrl-C");

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var input = Task.Run(async () =>
{
    // Reading to the end: the starter closing our input (or dying) is the signal to stop.
    while (await Console.In.ReadLineAsync() is not null)
    {
    }
});
await Task.WhenAny(input, Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default));

var requests = edge.Requests;
Console.WriteLine("kinesis-local-edge: requests " + string.Join(", ", requests.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}")));
var left = await Leftovers.ListAsync(engines, LocalEngines.Region);
await edge.DisposeAsync();
await engines.DisposeAsync();
if (left.Count == 0)
{
    Console.WriteLine("kinesis-local-edge: nothing left behind (no streams, no tables)");
    return 0;
}

Console.WriteLine($"kinesis-local-edge: {left.Count} left behind:");
foreach (var line in left)
{
    Console.WriteLine("  " + line);
}

return 3;

/// <summary>What is left in the engines: every stream (with its stream consumers) and every table.</summary>
internal static class Leftovers
{
    public static async Task<List<string>> ListAsync(LocalEngines engines, string region)
    {
        var credentials = new BasicAWSCredentials("AKIDEDGECHECK", "edge-check-secret");
        var left = new List<string>();
        using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = engines.KinesisEndpoint, Region = region, Credentials = credentials });
        string? token = null;
        do
        {
            var page = await kinesis.ListStreamsAsync(nextToken: token);
            foreach (var name in page.StreamNames)
            {
                try
                {
                    var summary = await kinesis.DescribeStreamSummaryAsync(name);
                    // A deleting stream is on its way out (kinesis-mock removes it after its delete latency).
                    if (summary.StreamStatus != "DELETING")
                    {
                        left.Add($"stream {name} ({summary.StreamStatus}, {summary.OpenShardCount} open shards, {summary.ConsumerCount} stream consumers)");
                    }
                }
                catch (ResourceNotFoundException)
                {
                    // Deleted since it was listed.
                }
            }

            token = page.HasMoreStreams ? page.NextToken : null;
        }
        while (token is not null);

        using var dynamoDb = new Amazon.DynamoDBv2.AmazonDynamoDBClient(credentials, new Amazon.DynamoDBv2.AmazonDynamoDBConfig
        {
            ServiceURL = engines.DynamoDbEndpoint.ToString(),
            AuthenticationRegion = region,
        });
        string? start = null;
        do
        {
            var page = await dynamoDb.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest { ExclusiveStartTableName = start });
            left.AddRange((page.TableNames ?? []).Select(t => $"table {t}"));
            start = page.LastEvaluatedTableName;
        }
        while (start is not null);

        return left;
    }
}
