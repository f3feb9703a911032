using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kinesis.Clients.Http;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Tests.Http;

/// <summary>
/// What <see cref="KinesisClientOptions.TrustedCertificates"/> accepts: a certificate that chains to one of them and is
/// otherwise valid for a server, after the system's own check failed on the chain alone; nothing more.
/// </summary>
public sealed class EndpointTrustTests
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    [Fact]
    public void A_self_signed_server_certificate_that_is_trusted_is_accepted()
    {
        using var server = LoopbackCertificate.Create();

        Assert.True(EndpointTrust.IsTrusted([LoopbackCertificate.PublicPart(server)], server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_certificate_issued_by_a_trusted_CA_is_accepted_as_behind_a_TLS_inspecting_proxy()
    {
        using var ca = Authority("inspecting-proxy-ca");
        using var leaf = Issued(ca, "kinesis.eu-west-1.amazonaws.com", ServerAuthentication, DateTimeOffset.UtcNow.AddDays(1));

        Assert.True(EndpointTrust.IsTrusted([LoopbackCertificate.PublicPart(ca)], leaf, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_certificate_chaining_to_another_root_is_refused()
    {
        using var server = LoopbackCertificate.Create("server");
        using var other = LoopbackCertificate.Create("someone-else");

        Assert.False(EndpointTrust.IsTrusted([LoopbackCertificate.PublicPart(other)], server, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Theory]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch)]
    [InlineData(SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors)]
    [InlineData(SslPolicyErrors.RemoteCertificateNotAvailable)]
    public void A_wrong_host_name_or_a_missing_certificate_is_never_rescued(SslPolicyErrors errors)
    {
        using var server = LoopbackCertificate.Create();

        Assert.False(EndpointTrust.IsTrusted([LoopbackCertificate.PublicPart(server)], server, null, errors));
    }

    [Fact]
    public void An_expired_certificate_from_a_trusted_CA_is_refused()
    {
        using var ca = Authority("ca");
        using var leaf = Issued(ca, "localhost", ServerAuthentication, DateTimeOffset.UtcNow.AddMinutes(-1));

        Assert.False(EndpointTrust.IsTrusted([LoopbackCertificate.PublicPart(ca)], leaf, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_certificate_not_meant_for_servers_is_refused()
    {
        using var ca = Authority("ca");
        using var leaf = Issued(ca, "localhost", ClientAuthentication, DateTimeOffset.UtcNow.AddDays(1));

        Assert.False(EndpointTrust.IsTrusted([LoopbackCertificate.PublicPart(ca)], leaf, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void What_the_system_already_trusts_stays_trusted()
    {
        using var server = LoopbackCertificate.Create();

        Assert.True(EndpointTrust.IsTrusted([], server, null, SslPolicyErrors.None));
    }

    [Fact]
    public void No_trusted_certificates_leave_the_handler_as_it_was()
    {
        using var handler = new SocketsHttpHandler();
        EndpointTrust.Apply(handler, null);
        EndpointTrust.Apply(handler, []);

        Assert.Null(handler.SslOptions.RemoteCertificateValidationCallback);
    }

    private static X509Certificate2 Authority(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(2));
    }

    private static X509Certificate2 Issued(X509Certificate2 ca, string host, Oid usage, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={host}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(host);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        var serial = new byte[8];
        RandomNumberGenerator.Fill(serial);
        return request.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), notAfter, serial);
    }
}
