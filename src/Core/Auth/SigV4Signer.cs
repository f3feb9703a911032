using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;
using Amazon.Util;

namespace Kinesis.Clients.Auth;

/// <summary>
/// Signs <see cref="HttpRequestMessage"/>s with AWS Signature Version 4.
/// </summary>
/// <remarks>
/// This is the only file that touches AWSSDK.Core's <c>Internal</c> signer: the canonical request is built by
/// <see cref="AWS4Signer"/>'s own rules (header pruning, sorting, value trimming, path and query encoding) and the
/// signature by <see cref="AWS4Signer.ComputeSignature(ImmutableCredentials, string, DateTime, string, string, string)"/>,
/// which also caches the derived signing key per secret, region, service and date. An upgrade of AWSSDK.Core that
/// moves these members breaks this file alone. The signer keeps no per-request state, so one instance serves
/// every request of a client from any number of threads.
/// </remarks>
internal sealed class SigV4Signer
{
    private const string AuthorizationHeader = "Authorization";
    private const string DateHeader = "X-Amz-Date";
    private const string SecurityTokenHeader = "X-Amz-Security-Token";

    private readonly AWSCredentials _credentials;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a signer for one region and one service signing name.</summary>
    /// <param name="credentials">Credentials, asked for their current value on every request so that refreshing credentials work.</param>
    /// <param name="region">The signing region, e.g. <c>us-east-1</c>.</param>
    /// <param name="service">The signing name, e.g. <c>kinesis</c>, <c>monitoring</c>, <c>dynamodb</c>.</param>
    /// <param name="timeProvider">The clock that dates each signature.</param>
    public SigV4Signer(AWSCredentials credentials, string region, string service, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _credentials = credentials;
        Region = region;
        Service = service;
        _timeProvider = timeProvider;
    }

    /// <summary>The signing region.</summary>
    public string Region { get; }

    /// <summary>The service signing name.</summary>
    public string Service { get; }

    /// <summary>
    /// Adds <c>X-Amz-Date</c>, <c>X-Amz-Security-Token</c> (for session credentials) and <c>Authorization</c> to
    /// <paramref name="request"/>, replacing any earlier signature.
    /// </summary>
    /// <param name="request">An absolute-URI request whose headers and content headers are final.</param>
    /// <param name="body">The exact payload bytes set as the request's content (empty for none).</param>
    /// <param name="cancellationToken">Cancels waiting for credentials.</param>
    public ValueTask SignAsync(HttpRequestMessage request, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        SignWithHashAsync(request, PayloadHash(body.Span), cancellationToken);

    /// <summary>Signs as <see cref="SignAsync(HttpRequestMessage, ReadOnlyMemory{byte}, CancellationToken)"/> a payload sent as it lies in several segments.</summary>
    /// <param name="request">An absolute-URI request whose headers and content headers are final.</param>
    /// <param name="body">The payload's segments in order, exactly as the request's content sends them.</param>
    /// <param name="cancellationToken">Cancels waiting for credentials.</param>
    public ValueTask SignSegmentsAsync(HttpRequestMessage request, IReadOnlyList<ReadOnlyMemory<byte>> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return SignWithHashAsync(request, body.Count == 1 ? PayloadHash(body[0].Span) : PayloadHash(body), cancellationToken);
    }

    private async ValueTask SignWithHashAsync(HttpRequestMessage request, string payloadHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var uri = request.RequestUri;
        if (uri is null || !uri.IsAbsoluteUri)
        {
            // The Host header and canonical path come from this URI; a relative one would be resolved against
            // HttpClient.BaseAddress only after signing, so the signature could not match.
            throw new ArgumentException("A request to sign needs an absolute RequestUri.", nameof(request));
        }

        ImmutableCredentials? credentials;
        try
        {
            credentials = await _credentials.GetCredentialsAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw CredentialsFailure.From(_credentials, Service, ex);
        }

        if (credentials is null)
        {
            throw new InvalidOperationException("The AWS credentials provider returned no credentials.");
        }

        var signedAt = _timeProvider.GetUtcNow().UtcDateTime;
        var headers = request.Headers;
        headers.Remove(AuthorizationHeader);
        headers.Remove(DateHeader);
        headers.Remove(SecurityTokenHeader);
        headers.TryAddWithoutValidation(DateHeader, AWS4Signer.FormatDateTime(signedAt, AWSSDKUtils.ISO8601BasicDateTimeFormat));
        if (credentials.UseToken)
        {
            headers.TryAddWithoutValidation(SecurityTokenHeader, credentials.Token);
        }

        var toSign = new List<KeyValuePair<string, string>>(8)
        {
            new("host", headers.Host ?? HostAsSent(uri)),
        };
        Collect(headers.NonValidated, toSign);
        if (request.Content is { } content)
        {
            Collect(content.Headers.NonValidated, toSign);
        }

        var canonicalRequest = AwsCanonicalForm.Request(
            request.Method.Method, uri, toSign, payloadHash, out var signedHeaders);
        var result = AWS4Signer.ComputeSignature(credentials, Region, signedAt, Service, signedHeaders, canonicalRequest);
        headers.TryAddWithoutValidation(AuthorizationHeader, result.ForAuthorizationHeader);
    }

    private static void Collect(HttpHeadersNonValidated source, List<KeyValuePair<string, string>> target)
    {
        foreach (var header in source)
        {
            if (!IsUnsigned(header.Key))
            {
                // HeaderStringValues joins several values with the header's own separator, as HttpClient writes them.
                target.Add(new(header.Key, header.Value.ToString()));
            }
        }
    }

    // Host is added once from the request itself. Content-Length is left out because HttpClient computes it
    // lazily (it appears among the headers only once something reads it) and the payload hash already covers the
    // body. The rest are hop-by-hop headers that handlers and proxies may add, drop or rewrite after signing.
    // AWS4Signer additionally prunes User-Agent, X-Amzn-Trace-Id, Transfer-Encoding and the amz-sdk-* headers.
    private static bool IsUnsigned(string name) =>
        name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals(AuthorizationHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Expect", StringComparison.OrdinalIgnoreCase)
        || name.Equals("TE", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase);

    // The value HttpClient puts in the Host header (or HTTP/2 :authority): the punycode host, IPv6 literals in
    // brackets, and the port only when it is not the scheme's default (so "127.0.0.1:4567", "kinesis.x.amazonaws.com").
    private static string HostAsSent(Uri uri)
    {
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost;
        return uri.IsDefaultPort ? host : string.Create(CultureInfo.InvariantCulture, $"{host}:{uri.Port}");
    }

    private static string PayloadHash(ReadOnlySpan<byte> body)
    {
        // Hashing the span directly spares a copy of payloads of up to 5 MiB; SHA-256 in lower-case hex is
        // exactly what AWS4Signer.ComputeHash would give for the same bytes.
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(body, hash);
        return Convert.ToHexStringLower(hash);
    }

    private static string PayloadHash(IReadOnlyList<ReadOnlyMemory<byte>> segments)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var segment in segments)
        {
            sha.AppendData(segment.Span);
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        sha.GetHashAndReset(hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Opens AWS4Signer's protected canonicalisation helpers; it is never instantiated.
    /// </summary>
    private abstract class AwsCanonicalForm : AWS4Signer
    {
        public static string Request(
            string method,
            Uri uri,
            List<KeyValuePair<string, string>> headers,
            string payloadHash,
            out string signedHeaders)
        {
            var sortedHeaders = SortAndPruneHeaders(headers);
            signedHeaders = CanonicalizeHeaderNames(sortedHeaders);

            // AbsolutePath is the path as it goes on the wire (percent-encoded once, dot segments removed). With
            // doubleEncode off and no endpoint, AWSSDK.Core encodes each of its segments once more, which is the
            // twice-encoded canonical URI that SigV4 asks of every service but S3.
            return CanonicalizeRequest(
                endpoint: null,
                uri.AbsolutePath,
                method,
                sortedHeaders,
                CanonicalQuery(uri.Query),
                payloadHash,
                pathResources: null,
                doubleEncode: false);
        }

        private static string CanonicalQuery(string query)
        {
            if (query.Length <= 1)
            {
                return string.Empty;
            }

            var parameters = new List<KeyValuePair<string, string>>();
            foreach (var pair in query.AsSpan(1).Split('&'))
            {
                var text = query.AsSpan(1)[pair];
                if (text.IsEmpty)
                {
                    continue;
                }

                var equals = text.IndexOf('=');
                var name = equals < 0 ? text : text[..equals];
                var value = equals < 0 ? ReadOnlySpan<char>.Empty : text[(equals + 1)..];
                parameters.Add(new(Uri.UnescapeDataString(name), Uri.UnescapeDataString(value)));
            }

            // AWS4Signer sorts by name only (a stable sort), so repeated names are put in value order first.
            parameters.Sort(static (a, b) =>
            {
                var byName = string.CompareOrdinal(a.Key, b.Key);
                return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
            });
            return CanonicalizeQueryParameters(parameters, uriEncodeParameters: true);
        }
    }
}
