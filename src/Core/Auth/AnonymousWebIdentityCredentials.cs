using System.Runtime.CompilerServices;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.SharedInterfaces;

namespace Kinesis.Clients.Auth;

/// <summary>
/// <see cref="AssumeRoleWithWebIdentityCredentials"/> whose STS client is statically referenced, so that web identity
/// (EKS service accounts: <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> and <c>AWS_ROLE_ARN</c>) works under Native AOT.
/// </summary>
/// <remarks>
/// AWSSDK.Core 4.1 asks <c>GlobalRuntimeDependencyRegistry</c> for this client with the assume-role action, the
/// request <see cref="AwsSdkClients"/> declines (it cannot sign AssumeRole), so the base class would fall back to
/// reflection. Reading the token file, the retries, the refresh and the endpoint and region rules stay the SDK's;
/// the call is unsigned, as the SDK makes it.
/// </remarks>
internal sealed class AnonymousWebIdentityCredentials : AssumeRoleWithWebIdentityCredentials
{
    private static readonly ConditionalWeakTable<AssumeRoleWithWebIdentityCredentials, AnonymousWebIdentityCredentials> Replacements = [];

    private AnonymousWebIdentityCredentials(AssumeRoleWithWebIdentityCredentials original)
        : base(original.WebIdentityTokenFile, original.RoleArn, original.RoleSessionName, OptionsOf(original))
    {
    }

    /// <summary>The one replacement of <paramref name="original"/> (the SDK's exact type only).</summary>
    public static AnonymousWebIdentityCredentials Replace(AssumeRoleWithWebIdentityCredentials original) =>
        Replacements.GetValue(original, static o => new AnonymousWebIdentityCredentials(o));

    /// <inheritdoc/>
    protected override ICoreAmazonSTS CreateClient() =>
        AwsSdkClients.SecurityTokenService(
            new AnonymousAWSCredentials(), FallbackRegionFactory.GetRegionEndpoint() ?? RegionEndpoint.USEast1, OptionsOf(this)?.ProxySettings);

    // The options (duration, policy, proxy) are in a private field with no getter; AOT-safe, and a renamed field
    // fails loudly (MissingFieldException) in the tests of the pinned version rather than dropping them silently.
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_options")]
    private static extern ref AssumeRoleWithWebIdentityCredentialsOptions OptionsOf(AssumeRoleWithWebIdentityCredentials credentials);
}
