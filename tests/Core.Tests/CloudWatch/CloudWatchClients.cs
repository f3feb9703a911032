using Amazon.Runtime;
using Kinesis.Clients.CloudWatch;

namespace Kinesis.Clients.Tests.CloudWatch;

/// <summary>Clients pointed at a loopback endpoint with fixed test credentials.</summary>
internal static class CloudWatchClients
{
    public static CloudWatchClient For(Uri endpoint, TimeSpan? requestTimeout = null, TimeProvider? timeProvider = null) =>
        new(new CloudWatchClientOptions
        {
            ServiceUrl = endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
            TimeProvider = timeProvider ?? TimeProvider.System,
        });
}
