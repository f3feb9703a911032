using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Kinesis.Clients.Tests.Http;

/// <summary>
/// A loopback HTTP/1.1 server whose every answer is scripted by the test: a raw response, an
/// abrupt reset, or silence. It exists to show how the client meets what no AWS engine sends. Given a certificate it
/// speaks HTTP/1.1 over TLS with it.
/// </summary>
internal sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string, ServerAction> _script;
    private readonly X509Certificate2? _certificate;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    public ScriptedHttpServer(Func<string, ServerAction> script, X509Certificate2? certificate = null)
    {
        _script = script;
        _certificate = certificate;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var scheme = certificate is null ? "http" : "https";
        Endpoint = new Uri($"{scheme}://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _loop = AcceptLoopAsync();
    }

    public Uri Endpoint { get; }

    public int Requests => Volatile.Read(ref _requests);

    public static ServerAction Respond(int status, string contentType, byte[] body, params (string Name, string Value)[] headers) =>
        new(ServerActionKind.Respond, status, contentType, body, headers);

    public static ServerAction Reset() => new(ServerActionKind.Reset, 0, "", [], []);

    public static ServerAction Hang() => new(ServerActionKind.Hang, 0, "", [], []);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var tls = new SslStream(stream);
                try
                {
                    await tls.AuthenticateAsServerAsync(_certificate);
                }
                catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException)
                {
                    // The client turned the certificate down: no request came.
                    await tls.DisposeAsync();
                    return;
                }

                stream = tls;
            }

            await using var _ = stream;
            while (!_stop.IsCancellationRequested)
            {
                var target = await ReadRequestAsync(stream);
                if (target is null)
                {
                    return;
                }

                Interlocked.Increment(ref _requests);
                var action = _script(target);
                switch (action.Kind)
                {
                    case ServerActionKind.Reset:
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                        return;
                    case ServerActionKind.Hang:
                        await Task.Delay(Timeout.Infinite, _stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                        return;
                    default:
                        var head = new StringBuilder()
                            .Append("HTTP/1.1 ").Append(action.Status).Append(" X\r\n")
                            .Append("Content-Type: ").Append(action.ContentType).Append("\r\n")
                            .Append("Content-Length: ").Append(action.Body.Length).Append("\r\n");
                        foreach (var (name, value) in action.Headers)
                        {
                            head.Append(name).Append(": ").Append(value).Append("\r\n");
                        }

                        head.Append("\r\n");
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
                        await stream.WriteAsync(action.Body);
                        break;
                }
            }
        }
    }

    /// <returns>The X-Amz-Target of the request, or null when the client closed the connection.</returns>
    private static async Task<string?> ReadRequestAsync(Stream stream)
    {
        var header = new List<byte>();
        var one = new byte[1];
        while (!EndsWithBlankLine(header))
        {
            if (await stream.ReadAsync(one) == 0)
            {
                return null;
            }

            header.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString(header.ToArray()).Split("\r\n");
        var length = 0;
        var target = "";
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (name.Equals("X-Amz-Target", StringComparison.OrdinalIgnoreCase))
            {
                target = value;
            }
        }

        var body = new byte[length];
        await stream.ReadExactlyAsync(body);
        return target;
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        bytes.Count >= 4 && bytes[^4] == '\r' && bytes[^3] == '\n' && bytes[^2] == '\r' && bytes[^1] == '\n';
}

internal enum ServerActionKind
{
    Respond,
    Reset,
    Hang,
}

internal sealed record ServerAction(ServerActionKind Kind, int Status, string ContentType, byte[] Body, (string Name, string Value)[] Headers);
