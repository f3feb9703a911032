using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Kinesis.Clients.Testing;

/// <summary>
/// A loopback DynamoDB endpoint in front of another (dynalite, or any DynamoDB endpoint) that forwards every
/// JSON 1.0 request and injects faults on demand, per operation: throttling, 500s, latency, connection resets,
/// and replies dropped after the write was applied. Point an <c>AmazonDynamoDBClient</c>'s <c>ServiceURL</c> at
/// <see cref="Endpoint"/>.
/// </summary>
/// <remarks>
/// The AWS SDK retries throttling, 500s and resets itself (standard mode: 3 attempts by default for most services,
/// DynamoDB's config raises it), so one call of the client can be several requests here; <see cref="Stats"/>
/// counts requests, not calls.
/// </remarks>
public sealed class DynamoDbFaultProxy : IAsyncDisposable
{
    private readonly LoopbackHost _host;
    private readonly DynamoDbForwarder _forwarder;
    private readonly DynamoDbFaultCounters _counters = new();
    private readonly TimeProvider _time;

    private DynamoDbFaultProxy(LoopbackHost host, DynamoDbForwarder forwarder, DynamoDbFaultProxyOptions options)
    {
        _host = host;
        _forwarder = forwarder;
        _time = options.TimeProvider;
        Faults = new DynamoDbFaults(options.TimeProvider, options.FaultSeed);
        Endpoint = host.Endpoint;
    }

    /// <summary>The proxy's address, e.g. <c>http://127.0.0.1:41234/</c>: the client's <c>ServiceURL</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The faults to inject; change them at any time.</summary>
    public DynamoDbFaults Faults { get; }

    /// <summary>A snapshot of the counters.</summary>
    public DynamoDbFaultStats Stats => _counters.Snapshot();

    /// <summary>Starts a proxy in front of <paramref name="backend"/>, forwarding every request to it.</summary>
    /// <param name="backend">The DynamoDB endpoint, e.g. dynalite's.</param>
    /// <param name="options">Clock and seed; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    /// <returns>The running proxy; dispose it to stop.</returns>
    public static async Task<DynamoDbFaultProxy> StartAsync(Uri backend, DynamoDbFaultProxyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        options ??= new DynamoDbFaultProxyOptions();
        options.Validate();
        var forwarder = new DynamoDbForwarder(backend);
        DynamoDbFaultProxy? proxy = null;
        try
        {
            var host = await LoopbackHost.StartAsync(
                context => proxy!.HandleAsync(context),
                HttpProtocols.Http1,
                LoopbackHost.ProxySettings,
                // Requests still waiting (a long latency on a fake clock, say) are cut off after a short grace.
                stopGrace: TimeSpan.FromSeconds(2),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            proxy = new DynamoDbFaultProxy(host, forwarder, options);
            return proxy;
        }
        catch
        {
            forwarder.Dispose();
            throw;
        }
    }

    /// <summary>Zeroes the counters (rules keep their own counts).</summary>
    public void ResetStats() => _counters.Reset();

    /// <summary>Stops listening and closes the connections.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
        _forwarder.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target[(target.LastIndexOf('.') + 1)..];
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            _counters.Request(operation);
            var decision = Faults.Decide(operation);
            if (decision.Latency > TimeSpan.Zero)
            {
                // The delay's timer exists before the count shows: a test that sees the count and then moves a fake
                // clock on must find the timer there to fire (counted first, the clock could pass before it was set).
                var held = Task.Delay(decision.Latency, _time, context.RequestAborted);
                _counters.Injected(operation, DynamoDbFaultKind.Latency);
                await held.ConfigureAwait(false);
            }

            switch (decision.Fault)
            {
                case DynamoDbFaultKind.Reset:
                    _counters.Injected(operation, DynamoDbFaultKind.Reset);
                    await CutOffAsync(context).ConfigureAwait(false);
                    return;
                case DynamoDbFaultKind.ProvisionedThroughputExceeded or DynamoDbFaultKind.Throttling or DynamoDbFaultKind.InternalServerError:
                    _counters.Injected(operation, decision.Fault.Value);
                    await DynamoDbErrorReply.WriteAsync(context, decision.Fault.Value).ConfigureAwait(false);
                    return;
            }

            DynamoDbForwarder.Reply reply;
            try
            {
                // Not cancelled with the caller: a write that was sent is applied even if the caller gives up.
                reply = await _forwarder.ForwardAsync(context.Request, buffer.ToArray(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
                await context.Response.WriteAsync("The DynamoDB fault proxy could not reach its backend: " + ex.Message, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            _counters.Forwarded(operation);
            switch (decision.Fault)
            {
                case DynamoDbFaultKind.ResetAfterWrite:
                    _counters.Injected(operation, DynamoDbFaultKind.ResetAfterWrite);
                    await CutOffAsync(context).ConfigureAwait(false);
                    return;
                case DynamoDbFaultKind.InternalServerErrorAfterWrite:
                    _counters.Injected(operation, DynamoDbFaultKind.InternalServerErrorAfterWrite);
                    await DynamoDbErrorReply.WriteAsync(context, DynamoDbFaultKind.InternalServerError).ConfigureAwait(false);
                    return;
                default:
                    await DynamoDbForwarder.RelayAsync(context, reply).ConfigureAwait(false);
                    return;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
    }

    /// <summary>
    /// Cuts the connection once the reply has begun. A connection closed before any reply byte is one .NET's
    /// HttpClient resends on its own when the connection was reused from its pool (it cannot tell it from an idle
    /// close), so the caller would never see the fault; a reply broken off after its status line is never resent.
    /// </summary>
    private static async Task CutOffAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = DynamoDbErrorReply.ContentType;
        context.Response.ContentLength = 64;
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        context.Abort();
    }
}
