using Amazon.Runtime;
using Amazon.RuntimeDependencies;
using Amazon.SecurityToken;
using Amazon.SSO;
using Amazon.SSOOIDC;

namespace Kinesis.Clients.Auth;

/// <summary>
/// Hands AWSSDK.Core the STS, SSO and SSO OIDC clients its credential providers need, so that web identity, SSO
/// and role profiles work in a program published with Native AOT.
/// </summary>
/// <remarks>
/// AWSSDK.Core finds these clients by reflection unless they are registered in
/// <see cref="GlobalRuntimeDependencyRegistry"/>; trimming removes that path and every credential source that needs
/// them then fails with <see cref="MissingRuntimeDependencyException"/>. The clients made here call with anonymous
/// credentials, as the SDK's own ones for SAML and SSO do. Assume-role is the exception: the SDK asks the registry
/// without its source credentials, so the registry declines it (the SDK's reflection still serves programs on the
/// JIT) and <see cref="WithStaticClients"/> puts providers that make the call themselves in place of the SDK's
/// assume-role and web identity ones (AWSSDK.Core 4.1 asks for the web identity client with the assume-role action).
/// </remarks>
internal static class AwsSdkClients
{
    private static int _registered;

    /// <summary>Registers the factories once per process; later calls do nothing.</summary>
    public static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        var registry = GlobalRuntimeDependencyRegistry.Instance;
        registry.RegisterSecurityTokenServiceClient(CreateSecurityTokenService);
        registry.RegisterSSOClient(context =>
        {
            var data = context.SSOClientContextData;
            var config = new AmazonSSOConfig { RegionEndpoint = data.Region };
            if (data.ProxySettings is not null)
            {
                config.SetWebProxy(data.ProxySettings);
            }

            return new AmazonSSOClient(new AnonymousAWSCredentials(), config);
        });
        registry.RegisterSSOOIDCClient(context =>
        {
            var data = context.SSOOIDCClientContextData;
            var config = new AmazonSSOOIDCConfig { RegionEndpoint = data.Region };
            if (data.ProxySettings is not null)
            {
                config.SetWebProxy(data.ProxySettings);
            }

            return new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), config);
        });
    }

    /// <summary>
    /// Returns <paramref name="credentials"/>, or the one replacement of it that calls STS through a statically
    /// referenced client when it is the SDK's own assume-role or web identity provider (subclasses are the caller's
    /// and are left alone). An assume-role provider's source is replaced likewise, as role chaining builds them.
    /// </summary>
    public static AWSCredentials WithStaticClients(AWSCredentials credentials)
    {
        var type = credentials.GetType();
        return type == typeof(AssumeRoleAWSCredentials) ? SourcedAssumeRoleCredentials.Replace((AssumeRoleAWSCredentials)credentials)
            : type == typeof(AssumeRoleWithWebIdentityCredentials) ? AnonymousWebIdentityCredentials.Replace((AssumeRoleWithWebIdentityCredentials)credentials)
            : credentials;
    }

    /// <summary>An STS client that signs with <paramref name="credentials"/>, as AWSSDK.Core's reflection would build it.</summary>
    public static AmazonSecurityTokenServiceClient SecurityTokenService(AWSCredentials credentials, Amazon.RegionEndpoint region, System.Net.IWebProxy? proxy)
    {
        var config = new AmazonSecurityTokenServiceConfig { RegionEndpoint = region };
        if (proxy is not null)
        {
            config.SetWebProxy(proxy);
        }

        return new AmazonSecurityTokenServiceClient(credentials, config);
    }

    private static object? CreateSecurityTokenService(CreateInstanceContext context)
    {
        var data = context.SecurityTokenServiceClientContextData;
        return data.Action == SecurityTokenServiceClientContext.ActionContext.AssumeRoleAWSCredentials
            ? null
            : SecurityTokenService(new AnonymousAWSCredentials(), data.Region, data.ProxySettings);
    }
}
