using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kinesis.Clients.Testing;

/// <summary>
/// A self-signed server certificate for a loopback test server, made in memory when asked (nothing on disk): ECDSA
/// P-256, valid for <c>127.0.0.1</c>, <c>::1</c> and <c>localhost</c>, for server authentication, from a few minutes
/// ago for one day. A client trusts it by its public part, e.g. <see cref="KinesisClientOptions.TrustedCertificates"/>.
/// </summary>
public static class LoopbackCertificate
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");

    /// <summary>Makes a new certificate with its private key; the caller disposes it.</summary>
    /// <param name="commonName">The subject's CN, to tell servers apart in a failure message.</param>
    public static X509Certificate2 Create(string commonName = "kinesis-clients-loopback")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        // Through PKCS#12 so the private key is one SslStream can use on every platform, not an ephemeral handle.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), password: null);
    }

    /// <summary>The public part of <paramref name="certificate"/> alone, as a client holds it.</summary>
    public static X509Certificate2 PublicPart(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }
}
