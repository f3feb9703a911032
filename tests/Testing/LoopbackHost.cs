using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Kestrel on a free 127.0.0.1 port serving one request handler, with no logging: what every loopback server of the
/// kit (KMS, STS, CloudWatch, Firehose, the proxies) runs on.
/// </summary>
public sealed class LoopbackHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TimeSpan? _stopGrace;

    private LoopbackHost(WebApplication app, Uri endpoint, TimeSpan? stopGrace)
    {
        _app = app;
        Endpoint = endpoint;
        _stopGrace = stopGrace;
    }

    /// <summary>The server's address with a trailing slash, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Starts serving <paramref name="handler"/> on a free loopback port.</summary>
    /// <param name="handler">Answers every request.</param>
    /// <param name="protocols">The HTTP versions the port speaks; Kestrel's default when omitted.</param>
    /// <param name="configure">Further Kestrel settings (limits, server header).</param>
    /// <param name="stopGrace">
    /// How long requests still running may take when the host stops before they are cut off; Kestrel's own
    /// shutdown timeout when omitted.
    /// </param>
    /// <param name="listen">Further settings of the port (TLS).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running host; dispose it to stop.</returns>
    public static async Task<LoopbackHost> StartAsync(
        RequestDelegate handler,
        HttpProtocols? protocols = null,
        Action<KestrelServerOptions>? configure = null,
        TimeSpan? stopGrace = null,
        Action<ListenOptions>? listen = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);

        // The empty builder adds no logging providers, configuration sources or file watchers.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, port =>
            {
                if (protocols is { } chosen)
                {
                    port.Protocols = chosen;
                }

                listen?.Invoke(port);
            });
            configure?.Invoke(kestrel);
        });
        var app = builder.Build();
        app.Run(handler);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackHost(app, new Uri(address.EndsWith('/') ? address : address + "/"), stopGrace);
    }

    /// <summary>
    /// Settings for a proxy in front of an engine: no <c>Server</c> header of its own, and no minimum data rates, since
    /// test clients may pause under a debugger or a loaded machine and that is not the proxy's business.
    /// </summary>
    /// <param name="kestrel">The options to change.</param>
    public static void ProxySettings(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.AddServerHeader = false;
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;
    }

    /// <summary>Stops listening and closes the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopGrace is { } grace)
        {
            using var cancel = new CancellationTokenSource(grace);
            await _app.StopAsync(cancel.Token).ConfigureAwait(false);
        }
        else
        {
            await _app.StopAsync().ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
