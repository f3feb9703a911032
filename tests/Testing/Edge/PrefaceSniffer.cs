using System.Net;
using System.Net.Sockets;

namespace Kinesis.Clients.Testing;

/// <summary>
/// The edge's one public port. Kestrel serves cleartext HTTP/2 (prior knowledge, as SubscribeToShard uses it) only on
/// an endpoint that speaks nothing else, so this reads the start of each connection and relays it, bytes unchanged, to
/// the edge's HTTP/2 endpoint when it opens with the HTTP/2 connection preface and to its HTTP/1.1 endpoint otherwise.
/// </summary>
internal sealed class PrefaceSniffer : IAsyncDisposable
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    private readonly TcpListener _listener;
    private readonly IPEndPoint _http1;
    private readonly IPEndPoint _http2;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private PrefaceSniffer(TcpListener listener, IPEndPoint http1, IPEndPoint http2)
    {
        _listener = listener;
        _http1 = http1;
        _http2 = http2;
        _accepting = AcceptAsync();
    }

    /// <summary>The port connections arrive on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Listens on <paramref name="port"/> of 127.0.0.1 (0: a free port).</summary>
    /// <exception cref="SocketException">The port is taken.</exception>
    public static PrefaceSniffer Start(int port, IPEndPoint http1, IPEndPoint http2)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new PrefaceSniffer(listener, http1, http2);
    }

    /// <summary>Stops accepting; connections already relayed end with the edge behind them.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var backend = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var head = new byte[Preface.Length];
                var read = 0;
                var http2 = true;
                // Read until the bytes can no longer be the preface, or are all of it; HTTP/1.1 differs by byte 2.
                while (read < head.Length && http2)
                {
                    var n = await client.ReceiveAsync(head.AsMemory(read), _stopping.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        http2 = false;
                        break;
                    }

                    read += n;
                    http2 = head.AsSpan(0, read).SequenceEqual(Preface.AsSpan(0, read));
                }

                await backend.ConnectAsync(http2 ? _http2 : _http1, _stopping.Token).ConfigureAwait(false);
                await backend.SendAsync(head.AsMemory(0, read), _stopping.Token).ConfigureAwait(false);
                await Task.WhenAll(PumpAsync(client, backend), PumpAsync(backend, client)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // One side went away (or the edge is stopping): closing both ends tells the other.
            }
        }
    }

    // Copies one direction until its sender is done, then passes the end on, so each side sees the other's close.
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, _stopping.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, n), _stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A reset on one side resets the other: the client sees the backend's failure as it would directly.
            from.Close(0);
            to.Close(0);
        }
    }
}
