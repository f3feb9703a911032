namespace Kinesis.Clients.Testing;

/// <summary>Read limits in proxy mode: iterators are followed from GetShardIterator through each GetRecords.</summary>
internal sealed partial class ForwardingHandler
{
    private async Task GetShardIteratorAsync(ProxyExchange exchange)
    {
        var reply = await _backend.ForwardAsync(exchange, exchange.Body).ConfigureAwait(false);
        if (reply.IsSuccess &&
            exchange.TryReadBody() is { } request &&
            WireTree.StreamName(request) is { } stream &&
            WireTree.Text(request["ShardId"]) is { } shardId &&
            ReadReply(reply) is { } body &&
            WireTree.Text(body["ShardIterator"]) is { } iterator)
        {
            _iterators.Add(iterator, _registry.Get(stream, shardId));
        }

        await ProxyReplies.RelayAsync(exchange.Context, reply).ConfigureAwait(false);
    }

    private async Task GetRecordsAsync(ProxyExchange exchange)
    {
        var shard = exchange.TryReadBody() is { } request && WireTree.Text(request["ShardIterator"]) is { } iterator
            ? _iterators.Find(iterator)
            : null;
        if (shard is not null && !shard.TryAdmitRead())
        {
            _counters.ThrottledGetRecords();
            await ProxyReplies.ThrottledAsync(exchange, shard).ConfigureAwait(false);
            return;
        }

        var reply = await _backend.ForwardAsync(exchange, exchange.Body).ConfigureAwait(false);
        if (shard is not null && reply.IsSuccess && ReadReply(reply) is { } body)
        {
            var records = body["Records"].Items;
            long bytes = 0;
            foreach (var record in records)
            {
                bytes += WireTree.BlobLength(record["Data"]);
            }

            shard.ChargeRead(records.Count, bytes);
            if (WireTree.Text(body["NextShardIterator"]) is { } next)
            {
                _iterators.Add(next, shard);
            }
        }

        await ProxyReplies.RelayAsync(exchange.Context, reply).ConfigureAwait(false);
    }
}
