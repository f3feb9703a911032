using System.Security.Authentication;

namespace Kinesis.Clients.Testing;

/// <summary>How a SubscribeToShard request reached the <see cref="SubscribeToShardServer"/>.</summary>
/// <param name="HttpProtocol">The request's protocol as Kestrel names it, e.g. <c>HTTP/2</c>.</param>
/// <param name="TlsProtocol">The TLS version, or <see cref="SslProtocols.None"/> in cleartext.</param>
/// <param name="ApplicationProtocol">What ALPN agreed on (<c>h2</c>), or <see langword="null"/> without TLS.</param>
public sealed record SubscriptionConnection(string HttpProtocol, SslProtocols TlsProtocol, string? ApplicationProtocol)
{
    /// <summary>Not recorded.</summary>
    public static SubscriptionConnection Unknown { get; } = new("?", SslProtocols.None, null);

    /// <summary>Whether the request came over TLS 1.2 or later with HTTP/2 agreed by ALPN, as the service requires.</summary>
    public bool IsHttp2OverTls =>
        HttpProtocol == "HTTP/2" && TlsProtocol is SslProtocols.Tls12 or SslProtocols.Tls13 && ApplicationProtocol == "h2";

    /// <inheritdoc />
    public override string ToString() =>
        TlsProtocol == SslProtocols.None ? $"{HttpProtocol} cleartext" : $"{HttpProtocol} over {TlsProtocol}, ALPN {ApplicationProtocol ?? "none"}";
}
