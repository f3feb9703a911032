using Amazon.Runtime;
using Kinesis.Clients.Firehose;

namespace Kinesis.Clients.Tests.Firehose;

/// <summary>Firehose clients pointed at a loopback endpoint with fixed test credentials.</summary>
internal static class FirehoseClients
{
    public static FirehoseClient For(Uri? endpoint, TimeSpan? requestTimeout = null, string region = "us-east-1") =>
        new(new FirehoseClientOptions
        {
            ServiceUrl = endpoint,
            Region = region,
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
        });
}
