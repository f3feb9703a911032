using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Kinesis.Clients.Testing;

/// <summary>
/// A loopback Kinesis endpoint that behaves like the real service under load: per-shard write limits
/// (1,000 records/s and 1 MiB/s) and read limits (5 GetRecords/s and 2 MiB/s), refusals in the service's own
/// form, and faults on demand. No emulator enforces these limits.
/// </summary>
/// <remarks>
/// <para>Proxy mode (<see cref="StartAsync"/>) sits in front of an engine such as kinesis-mock and forwards
/// every request; entries over their shard's limit are answered by the proxy and never reach it.</para>
/// <para>Standalone mode (<see cref="StartStandaloneAsync"/>) needs no engine: it answers ListShards,
/// DescribeStreamSummary, PutRecord and PutRecords for declared streams and keeps only counters, as a fast
/// sink for producer benchmarks.</para>
/// <para>Both encodings work (JSON 1.1 and CBOR 1.1, per request by Content-Type); what the proxy answers
/// itself is in the request's encoding. Point a client at <see cref="Endpoint"/>.</para>
/// </remarks>
public sealed class KinesisLimitsProxy : IAsyncDisposable
{
    private readonly LoopbackHost _host;
    private readonly IRequestHandler _handler;
    private readonly ProxyCounters _counters;
    private readonly ShardRegistry _registry;
    private readonly TimeProvider _time;

    private KinesisLimitsProxy(LoopbackHost host, IRequestHandler handler, ProxyCounters counters, ShardRegistry registry, LimitsProxyFaults faults, TimeProvider time)
    {
        _host = host;
        _handler = handler;
        _counters = counters;
        _registry = registry;
        _time = time;
        Faults = faults;
        Endpoint = host.Endpoint;
    }

    /// <summary>The proxy's address, e.g. <c>http://127.0.0.1:41234/</c>: use it as the client's ServiceUrl.</summary>
    public Uri Endpoint { get; }

    /// <summary>The faults to inject; change them at any time.</summary>
    public LimitsProxyFaults Faults { get; }

    /// <summary>A snapshot of the counters.</summary>
    public LimitsProxyStats Stats => _counters.Snapshot(_registry);

    /// <summary>
    /// Starts a proxy in front of <paramref name="backend"/>, forwarding every request to it.
    /// </summary>
    /// <param name="backend">The engine's endpoint, e.g. kinesis-mock's.</param>
    /// <param name="options">Limits and clock; <see langword="null"/> for the real limits.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    /// <returns>The running proxy; dispose it to stop.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static Task<KinesisLimitsProxy> StartAsync(Uri backend, LimitsProxyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        options ??= new LimitsProxyOptions();
        options.Validate();
        var limits = LimitSettings.From(options);
        return StartAsync(options, limits, (registry, counters, faults) => new ForwardingHandler(
            new BackendClient(backend, options.MaxBackendConnections, limits.Region), registry, counters, faults, options.OnAccepted), cancellationToken);
    }

    /// <summary>Starts a standalone endpoint serving the declared <paramref name="streams"/>, with no backend.</summary>
    /// <param name="streams">The streams and their shard counts.</param>
    /// <param name="options">Limits, clock and the accepted-record callback; <see langword="null"/> for the real limits.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    /// <returns>The running endpoint; dispose it to stop.</returns>
    /// <exception cref="ArgumentException">An option is invalid or no stream is declared.</exception>
    public static Task<KinesisLimitsProxy> StartStandaloneAsync(StandaloneStreams streams, LimitsProxyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streams);
        if (streams.ShardCounts.Count == 0)
        {
            throw new ArgumentException("Declare at least one stream.", nameof(streams));
        }

        options ??= new LimitsProxyOptions();
        options.Validate();
        var limits = LimitSettings.From(options);
        return StartAsync(options, limits, (registry, counters, faults) => new StandaloneHandler(
            streams, registry, counters, faults, options.OnAccepted, limits), cancellationToken);
    }

    /// <summary>Zeroes the counters (the buckets keep their state).</summary>
    public void ResetStats()
    {
        _counters.Reset();
        _registry.ResetCounters();
    }

    /// <summary>Stops listening and closes the connections.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
        _handler.Dispose();
    }

    private static async Task<KinesisLimitsProxy> StartAsync(
        LimitsProxyOptions options,
        LimitSettings limits,
        Func<ShardRegistry, ProxyCounters, LimitsProxyFaults, IRequestHandler> createHandler,
        CancellationToken cancellationToken)
    {
        var registry = new ShardRegistry(limits);
        var counters = new ProxyCounters();
        var faults = new LimitsProxyFaults(options.FaultSeed);
        var handler = createHandler(registry, counters, faults);

        KinesisLimitsProxy? proxy = null;
        try
        {
            var host = await LoopbackHost.StartAsync(
                context => proxy!.HandleAsync(context),
                HttpProtocols.Http1,
                kestrel =>
                {
                    LoopbackHost.ProxySettings(kestrel);
                    // PutRecords is at most 5 MiB of data, which JSON's base64 makes about 7 MiB.
                    kestrel.Limits.MaxRequestBodySize = 32 * 1024 * 1024;
                },
                // Requests still running (a long latency on a fake clock, say) are cut off after a short grace.
                stopGrace: TimeSpan.FromSeconds(2),
                cancellationToken: cancellationToken).ConfigureAwait(false);
            proxy = new KinesisLimitsProxy(host, handler, counters, registry, faults, limits.Time);
            return proxy;
        }
        catch
        {
            handler.Dispose();
            throw;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            using var exchange = await ProxyExchange.ReadAsync(context).ConfigureAwait(false);

            // The latency's timer starts before the request is counted: a test that sees the count and then moves a
            // fake clock on finds the timer already there (started after, it would wait a whole latency more).
            var latency = Faults.Latency is { } held && held > TimeSpan.Zero
                ? Task.Delay(held, _time, context.RequestAborted)
                : Task.CompletedTask;
            _counters.Request(exchange.Operation);
            _counters.SignedBy(SigV4Scope.TryParse(context.Request.Headers.Authorization.ToString())?.AccessKey ?? "(unsigned)");
            await latency.ConfigureAwait(false);

            var fault = Faults.Decide(exchange.Operation);
            switch (fault.Kind)
            {
                case FaultKind.Reset:
                    _counters.InjectedReset();
                    context.Abort();
                    return;
                case FaultKind.Fail:
                    _counters.InjectedFailure();
                    await ProxyReplies.ErrorAsync(exchange, fault.StatusCode, fault.ErrorCode, fault.Message).ConfigureAwait(false);
                    return;
            }

            try
            {
                await _handler.HandleAsync(exchange).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (!context.Response.HasStarted)
            {
                await ProxyReplies.ErrorAsync(exchange, StatusCodes.Status502BadGateway, "InternalFailure", "The limits proxy could not reach its backend: " + ex.Message)
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && !context.Response.HasStarted)
            {
                // Kestrel would answer an empty 500; say what broke (often an assertion in OnAccepted).
                await ProxyReplies.ErrorAsync(exchange, StatusCodes.Status500InternalServerError, "InternalFailure", $"The limits proxy failed: {ex.GetType().Name}: {ex.Message}")
                    .ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
    }
}
