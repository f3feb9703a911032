using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Kinesis.Clients.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Tests.Auth;

/// <summary>Builds requests, signers and readers of the Authorization header for the signer's tests.</summary>
internal static class SigV4TestRequests
{
    public static SigV4Signer SuiteSigner(AWSCredentials? credentials = null, string service = SigV4Vectors.SuiteService) =>
        new(credentials ?? new BasicAWSCredentials(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey),
            SigV4Vectors.SuiteRegion, service, new FakeTimeProvider(SigV4Vectors.SuiteTime));

    public static HttpRequestMessage Create(string method, string uri, string? contentType, byte[] body, params string[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), uri);
        foreach (var header in headers)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            Assert.True(request.Headers.TryAddWithoutValidation(header[..colon], header[(colon + 1)..]));
        }

        if (contentType is not null || body.Length > 0)
        {
            request.Content = new ByteArrayContent(body);
            if (contentType is not null)
            {
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }
        }

        return request;
    }

    public static async Task<HttpRequestMessage> SignedAsync(SigV4Signer signer, string method, string uri, string? contentType = null, string body = "", params string[] headers)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = Create(method, uri, contentType, bytes, headers);
        await signer.SignAsync(request, bytes, CancellationToken.None);
        return request;
    }

    public static string Authorization(HttpRequestMessage request) => Single(request, "Authorization");

    public static string Single(HttpRequestMessage request, string name) =>
        Assert.Single(Assert.Contains(name, request.Headers.NonValidated).ToArray());

    public static string SignatureOf(string authorization) => authorization[(authorization.LastIndexOf('=') + 1)..];
}
