using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kinesis.Clients.Http;

/// <summary>
/// Certificates a client trusts as roots for its endpoint's TLS in addition to the system's: a TLS-inspecting proxy's
/// CA, or a test server's self-signed certificate. Only an otherwise valid certificate whose chain ends at one of them
/// is rescued; a wrong host name, a missing certificate or an expired one still fails.
/// </summary>
internal static class EndpointTrust
{
    // id-kp-serverAuth: what SslStream's own chain check asks of a server's certificate.
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>Makes <paramref name="handler"/> accept certificates that chain to <paramref name="trusted"/>.</summary>
    /// <remarks>Does nothing when none are given; the collection is copied, so later changes to it do not apply.</remarks>
    public static void Apply(SocketsHttpHandler handler, X509Certificate2Collection? trusted)
    {
        if (trusted is not { Count: > 0 })
        {
            return;
        }

        var roots = new X509Certificate2Collection(trusted);
        handler.SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) => IsTrusted(roots, certificate, chain, errors),
        };
    }

    /// <summary>The decision of the callback <see cref="Apply"/> installs.</summary>
    internal static bool IsTrusted(X509Certificate2Collection roots, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // The extra roots stand in for the system's only: a name mismatch or no certificate is never rescued.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            return false;
        }

        using var custom = new X509Chain();
        var policy = custom.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(roots);

        // As SslStream checks a server by default: no revocation lookups, and the certificate must allow server use.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.ApplicationPolicy.Add(ServerAuthentication);
        if (chain is not null)
        {
            // The intermediates the server sent.
            foreach (var element in chain.ChainElements)
            {
                policy.ExtraStore.Add(element.Certificate);
            }
        }

        if (certificate is X509Certificate2 leaf)
        {
            return custom.Build(leaf);
        }

        using var copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(copy);
    }
}
