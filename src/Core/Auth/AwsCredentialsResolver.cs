using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace Kinesis.Clients.Auth;

/// <summary>
/// Picks the credentials a client signs with: the caller's own, or else AWSSDK.Core's default chain.
/// </summary>
public static class AwsCredentialsResolver
{
    /// <summary>
    /// Returns <paramref name="explicitCredentials"/> when given; otherwise the credentials found by AWSSDK.Core's
    /// default chain (environment variables, web identity, the shared config and credentials files including SSO
    /// and credential_process profiles, then container or EC2 instance metadata).
    /// </summary>
    /// <param name="explicitCredentials">Credentials set on the client's options, or <see langword="null"/>.</param>
    /// <returns>
    /// Credentials to hand to the signer; an assume-role or web identity provider (given, or from the chain) is
    /// replaced by one that also works in a program published with Native AOT. Credentials may refresh themselves,
    /// which is why the signer asks them for their current value on every request instead of keeping a copy.
    /// </returns>
    /// <exception cref="InvalidOperationException">No credentials were given and the chain found none.</exception>
    public static AWSCredentials Resolve(AWSCredentials? explicitCredentials)
    {
        // Before the chain runs: it may build providers that call STS or SSO (see README.md).
        AwsSdkClients.EnsureRegistered();
        if (explicitCredentials is not null)
        {
            return AwsSdkClients.WithStaticClients(explicitCredentials);
        }

        try
        {
            // The chain itself caches what it found and looks again when the AWS_* variables change.
            return AwsSdkClients.WithStaticClients(DefaultAWSCredentialsIdentityResolver.GetCredentials(null));
        }
        catch (AmazonClientException ex)
        {
            throw new InvalidOperationException(
                "No AWS credentials were given in the options and the default chain found none. Set " +
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary credentials), " +
                "AWS_PROFILE for a profile in ~/.aws/config or ~/.aws/credentials, or run where container or " +
                "instance credentials are available. " + ex.Message,
                ex);
        }
    }
}
