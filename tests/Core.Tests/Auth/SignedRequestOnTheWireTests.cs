using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.Runtime;
using Kinesis.Clients.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Tests.Auth;

/// <summary>
/// Sends signed requests through a real HttpClient to a loopback socket and checks, as the service would, that the
/// signature recomputed from the bytes received matches the one sent.
/// </summary>
public sealed class SignedRequestOnTheWireTests
{
    [Theory(Timeout = 20_000)]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("[::1]")]
    public async Task The_receiver_recomputes_the_same_signature(string host)
    {
        var address = host == "[::1]" ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var listener = new TcpListener(address, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var received = ReceiveOneAsync(listener, timeout.Token);

        var signer = NewSigner();
        var body = Encoding.UTF8.GetBytes("{\"StreamName\":\"s\"}");
        using var request = SigV4TestRequests.Create(
            "POST", $"http://{host}:{port}/", "application/x-amz-json-1.1", body, "X-Amz-Target:Kinesis_20131202.DescribeStream");
        await signer.SignAsync(request, body, timeout.Token);
        using var client = new HttpClient();
        using var response = await client.SendAsync(request, timeout.Token);

        var (head, receivedBody) = await received;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, receivedBody);

        // Rebuild the request from what arrived; an explicit Host header takes precedence over the URI when signing.
        var headers = ParseHeaders(head);
        using var rebuilt = SigV4TestRequests.Create(
            "POST", "http://unrelated.invalid/", headers["Content-Type"], receivedBody, $"X-Amz-Target:{headers["X-Amz-Target"]}");
        rebuilt.Headers.Host = headers["Host"];
        await NewSigner().SignAsync(rebuilt, receivedBody, timeout.Token);

        Assert.Equal(headers["Authorization"], SigV4TestRequests.Authorization(rebuilt));
        Assert.Equal(headers["X-Amz-Date"], SigV4TestRequests.Single(rebuilt, "X-Amz-Date"));
    }

    private static SigV4Signer NewSigner() =>
        new(new BasicAWSCredentials(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey), "us-east-1", "kinesis",
            new FakeTimeProvider(SigV4Vectors.SuiteTime));

    private static Dictionary<string, string> ParseHeaders(string head)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon]] = line[(colon + 1)..].Trim();
            }
        }

        return headers;
    }

    private static async Task<(string Head, byte[] Body)> ReceiveOneAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        using var socket = await listener.AcceptSocketAsync(cancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(buffer)) < 0)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            Assert.True(read > 0, "The connection closed before the request head was complete.");
            buffer.Write(chunk, 0, read);
        }

        var all = buffer.ToArray();
        var head = Encoding.ASCII.GetString(all, 0, headEnd);
        var length = int.Parse(ParseHeaders(head)["Content-Length"], System.Globalization.CultureInfo.InvariantCulture);
        var body = new MemoryStream();
        body.Write(all, headEnd + 4, all.Length - headEnd - 4);
        while (body.Length < length)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken);
            Assert.True(read > 0, "The connection closed before the body was complete.");
            body.Write(chunk, 0, read);
        }

        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), cancellationToken);
        return (head, body.ToArray());
    }

    private static int IndexOfHeadEnd(MemoryStream buffer) =>
        buffer.GetBuffer().AsSpan(0, (int)buffer.Length).IndexOf("\r\n\r\n"u8);
}
