using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Proxy mode: forwards every request to the backend engine, applying the write and read limits on the way
/// and learning shard maps and iterators from what passes through.
/// </summary>
internal sealed partial class ForwardingHandler : IRequestHandler
{
    private readonly BackendClient _backend;
    private readonly BackendShardMaps _maps;
    private readonly IteratorMap _iterators = new();
    private readonly ShardRegistry _registry;
    private readonly ProxyCounters _counters;
    private readonly LimitsProxyFaults _faults;
    private readonly AcceptedRecordHandler? _onAccepted;

    public ForwardingHandler(
        BackendClient backend,
        ShardRegistry registry,
        ProxyCounters counters,
        LimitsProxyFaults faults,
        AcceptedRecordHandler? onAccepted)
    {
        _backend = backend;
        _registry = registry;
        _counters = counters;
        _faults = faults;
        _onAccepted = onAccepted;
        _maps = new BackendShardMaps(backend, registry);
    }

    public Task HandleAsync(ProxyExchange exchange) => exchange.Operation switch
    {
        "PutRecords" => PutRecordsAsync(exchange),
        "PutRecord" => PutRecordAsync(exchange),
        "GetShardIterator" => GetShardIteratorAsync(exchange),
        "GetRecords" => GetRecordsAsync(exchange),
        "SplitShard" or "MergeShards" or "UpdateShardCount" or "DeleteStream" => ReshardAsync(exchange),
        _ => RelayAsync(exchange),
    };

    public void Dispose() => _backend.Dispose();

    private async Task RelayAsync(ProxyExchange exchange)
    {
        var reply = await _backend.ForwardAsync(exchange, exchange.Body).ConfigureAwait(false);
        await ProxyReplies.RelayAsync(exchange.Context, reply).ConfigureAwait(false);
    }

    private async Task ReshardAsync(ProxyExchange exchange)
    {
        var reply = await _backend.ForwardAsync(exchange, exchange.Body).ConfigureAwait(false);
        if (reply.IsSuccess && exchange.TryReadBody() is { } request && WireTree.StreamName(request) is { } stream)
        {
            _maps.Resharded(stream);
        }

        await ProxyReplies.RelayAsync(exchange.Context, reply).ConfigureAwait(false);
    }

    private static WireValue? ReadReply(BackendReply reply)
    {
        var protocol = reply.ContentType is { } type && type.Contains("cbor", StringComparison.OrdinalIgnoreCase)
            ? WireProtocol.Cbor
            : WireProtocol.Json;
        return WireTree.TryRead(protocol, reply.Body);
    }
}
