using Amazon.Runtime;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Testing.Tests.LimitsProxy;

internal static class ProxyClients
{
    /// <summary>A client of the proxy, signing as the engine fixture does.</summary>
    public static KinesisClient Client(LocalAws aws, KinesisLimitsProxy proxy, WireProtocol protocol) => new(new KinesisClientOptions
    {
        ServiceUrl = proxy.Endpoint,
        Region = aws.Region,
        Credentials = aws.Credentials,
        Protocol = protocol,
    });

    /// <summary>A client of a standalone proxy, which checks no signature.</summary>
    public static KinesisClient Client(KinesisLimitsProxy proxy, WireProtocol protocol) => new(new KinesisClientOptions
    {
        ServiceUrl = proxy.Endpoint,
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDSTANDALONE", "standalone-secret"),
        Protocol = protocol,
    });

    public static List<PutRecordsEntry> Batch(int count, string prefix, Func<int, string?>? explicitHashKey = null) =>
        Enumerable.Range(0, count)
            .Select(i => new PutRecordsEntry($"{prefix}-{i}", System.Text.Encoding.UTF8.GetBytes($"{prefix}-{i}"), explicitHashKey?.Invoke(i)))
            .ToList();
}
