using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;

namespace Kinesis.Clients.Auth;

/// <summary>
/// <see cref="AssumeRoleAWSCredentials"/> whose AssumeRole call is signed with its source credentials through a
/// statically referenced STS client, so that it works in a program published with Native AOT.
/// </summary>
/// <remarks>
/// The base class finds its STS client in <c>GlobalRuntimeDependencyRegistry</c> (which cannot pass the source
/// credentials) or else by reflection (which trimming removes). Everything else stays the SDK's: the request and
/// its SigV4 signature, the options (external id, duration, policy, MFA, tags), the refresh 15 minutes before
/// expiry, the STS endpoint from <c>AWS_ENDPOINT_URL_STS</c> or the profile, and the region from
/// <c>AWS_REGION</c> or the profile (us-east-1 when neither names one), exactly as the base class chooses it.
/// </remarks>
internal sealed class SourcedAssumeRoleCredentials : AssumeRoleAWSCredentials
{
    // One replacement per provider the default chain hands out, so its cached session is shared by every client.
    private static readonly ConditionalWeakTable<AssumeRoleAWSCredentials, SourcedAssumeRoleCredentials> Replacements = [];

    private SourcedAssumeRoleCredentials(AWSCredentials source, AssumeRoleAWSCredentials original)
        : base(source, original.RoleArn, original.RoleSessionName, original.Options)
    {
    }

    /// <summary>The one replacement of <paramref name="original"/>, whose source gets the same treatment.</summary>
    public static SourcedAssumeRoleCredentials Replace(AssumeRoleAWSCredentials original) =>
        Replacements.GetValue(original, static o => new SourcedAssumeRoleCredentials(AwsSdkClients.WithStaticClients(o.SourceCredentials), o));

    /// <inheritdoc/>
    /// <remarks>The SDK's synchronous path (<c>GetCredentials</c>) calls STS synchronously, as the base class does.</remarks>
    protected override CredentialsRefreshState GenerateNewCredentials()
    {
        using var client = AwsSdkClients.SecurityTokenService(SourceCredentials, Region(), Options.ProxySettings);
        var credentials = ((ICoreAmazonSTS)client).CredentialsFromAssumeRoleAuthentication(RoleArn, RoleSessionName, Options);
        return new CredentialsRefreshState(credentials, credentials.Expiration);
    }

    /// <inheritdoc/>
    protected override async Task<CredentialsRefreshState> GenerateNewCredentialsAsync()
    {
        using var client = AwsSdkClients.SecurityTokenService(SourceCredentials, Region(), Options.ProxySettings);
        var credentials = await ((ICoreAmazonSTS)client)
            .CredentialsFromAssumeRoleAuthenticationAsync(RoleArn, RoleSessionName, Options)
            .ConfigureAwait(false);
        return new CredentialsRefreshState(credentials, credentials.Expiration);
    }

    private static RegionEndpoint Region() => FallbackRegionFactory.GetRegionEndpoint() ?? RegionEndpoint.USEast1;
}
