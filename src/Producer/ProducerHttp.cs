using System.Net;
using System.Net.Security;

namespace Kinesis.Clients.Producer;

/// <summary>
/// The connection settings the KPL has and the Core clients leave to their handler: a proxy and switching off
/// certificate checks. Only when one of them is set does the producer build its own handler; otherwise the
/// clients build theirs from their options.
/// </summary>
internal static class ProducerHttp
{
    /// <summary>Whether the options need a handler of the producer's own.</summary>
    public static bool NeedsOwnHandler(KinesisProducerOptions options) =>
        options.HttpHandler is null && (!string.IsNullOrWhiteSpace(options.ProxyHost) || !options.VerifyCertificate);

    /// <summary>A pooled handler as the Core clients build, with the proxy and certificate settings applied.</summary>
    public static SocketsHttpHandler CreateHandler(KinesisProducerOptions options, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            // Recycle connections so DNS changes of the regional endpoint are seen.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            ConnectTimeout = options.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (ProxyOf(options) is { } proxy)
        {
            handler.Proxy = proxy;
            handler.UseProxy = true;
        }

        if (!options.VerifyCertificate)
        {
#pragma warning disable CA5359 // Only when the user turned VerifyCertificate off, as the KPL allows for test endpoints.
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = AcceptAny };
#pragma warning restore CA5359
        }

        return handler;
    }

    internal static WebProxy? ProxyOf(KinesisProducerOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.ProxyHost) || ProxyUri(options) is not { } uri)
        {
            return null;
        }

        var proxy = new WebProxy(uri);
        if (!string.IsNullOrEmpty(options.ProxyUserName))
        {
            proxy.Credentials = new NetworkCredential(options.ProxyUserName, options.ProxyPassword);
        }

        return proxy;
    }

    // The KPL takes "proxy.example.com", "192.168.0.1" or "https://proxy.example.com", and the port apart.
    internal static Uri? ProxyUri(KinesisProducerOptions options)
    {
        var host = options.ProxyHost!.Trim();
        if (host.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(host, UriKind.Absolute, out var given) || (given.Scheme != Uri.UriSchemeHttp && given.Scheme != Uri.UriSchemeHttps))
            {
                return null;
            }

            // A port written in the URI wins over ProxyPort.
            return host.IndexOf(':', host.IndexOf("://", StringComparison.Ordinal) + 3) > 0
                ? given
                : new UriBuilder(given) { Port = options.ProxyPort }.Uri;
        }

        return Uri.CheckHostName(host) == UriHostNameType.Unknown ? null : new UriBuilder(Uri.UriSchemeHttp, host, options.ProxyPort).Uri;
    }

    private static bool AcceptAny(object sender, System.Security.Cryptography.X509Certificates.X509Certificate? certificate,
        System.Security.Cryptography.X509Certificates.X509Chain? chain, SslPolicyErrors errors) => true;
}
