using Amazon;
using Amazon.KeyManagementService;
using Amazon.Runtime;
using Kinesis.Clients.Auth;
using Kinesis.Clients.Endpoints;

namespace Kinesis.Clients.Encryption;

/// <summary>Makes the KMS client record encryption uses when none is given, as the other clients are made.</summary>
public static class KmsClientFactory
{
    /// <summary>A KMS client for a region and credentials.</summary>
    /// <param name="region">The region; <see langword="null"/> resolves it as the Kinesis client does (AWS_REGION, profile).</param>
    /// <param name="credentials">Credentials; <see langword="null"/> for AWSSDK.Core's default chain.</param>
    /// <returns>The client; its endpoint is the SDK's (honouring <c>AWS_ENDPOINT_URL_KMS</c> and <c>AWS_ENDPOINT_URL</c>). The caller disposes it.</returns>
    public static AmazonKeyManagementServiceClient Create(string? region, AWSCredentials? credentials) =>
        new(AwsCredentialsResolver.Resolve(credentials), new AmazonKeyManagementServiceConfig
        {
            RegionEndpoint = RegionEndpoint.GetBySystemName(AwsRegionResolver.Resolve(region)),
        });
}
