using System.Buffers;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Wire;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Write limits in proxy mode: entries over their shard's limit never reach the backend, and the reply
/// merges the backend's results with the refusals in the original order, as one PutRecords reply.
/// </summary>
internal sealed partial class ForwardingHandler
{
    private async Task PutRecordsAsync(ProxyExchange exchange)
    {
        var root = exchange.TryReadBody();
        var stream = root is null ? null : WireTree.StreamName(root);
        var items = root?["Records"].Items ?? [];
        if (stream is null || items.Count == 0)
        {
            await RelayAsync(exchange).ConfigureAwait(false);
            return;
        }

        var entries = ArrayPool<PutEntry>.Shared.Rent(items.Count);
        try
        {
            var count = items.Count;
            for (var i = 0; i < count; i++)
            {
                if (!PutEntry.TryRead(items[i], out entries[i]))
                {
                    await RelayAsync(exchange).ConfigureAwait(false);
                    return;
                }
            }

            if (!await RouteAsync(exchange, stream, entries.AsMemory(0, count)).ConfigureAwait(false))
            {
                await RelayAsync(exchange).ConfigureAwait(false);
                return;
            }

            var (throttled, failed) = PutEntry.Admit(entries.AsSpan(0, count), _faults);
            _counters.PutRecords(throttled);
            _counters.InjectedEntryFailures(failed);
            await ForwardAdmittedAsync(exchange, root!, stream, new ArraySegment<PutEntry>(entries, 0, count), throttled + failed)
                .ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<PutEntry>.Shared.Return(entries, clearArray: true);
        }
    }

    private async Task ForwardAdmittedAsync(ProxyExchange exchange, WireValue root, string stream, ArraySegment<PutEntry> entries, int refused)
    {
        WireValue? results = null;
        if (refused < entries.Count)
        {
            BackendReply reply;
            if (refused == 0)
            {
                reply = await _backend.ForwardAsync(exchange, exchange.Body).ConfigureAwait(false);
            }
            else
            {
                using var body = new PooledBufferWriter(exchange.Body.WrittenCount);
                WireEncoder.Encode(exchange.Protocol, body, (root, entries), static (w, s) => WriteAdmitted(w, s.root, s.entries));
                reply = await _backend.ForwardAsync(exchange, body).ConfigureAwait(false);
            }

            results = reply.IsSuccess ? ReadReply(reply) : null;
            if (results is null || results["Records"].Items.Count != entries.Count - refused)
            {
                // The backend refused the whole request (or answered oddly): that is the answer.
                await ProxyReplies.RelayAsync(exchange.Context, reply).ConfigureAwait(false);
                return;
            }

            CountAccepted(stream, entries, results["Records"].Items);
            if (refused == 0)
            {
                await ProxyReplies.RelayAsync(exchange.Context, reply).ConfigureAwait(false);
                return;
            }

            exchange.ReplyRequestId = reply.RequestId;
        }

        await ProxyReplies.WriteAsync(exchange, StatusCodes.Status200OK, (results, entries, refused), static (w, s) =>
        {
            var forwarded = s.results?["Records"].Items ?? [];
            var encryption = s.results is null ? null : WireTree.Text(s.results["EncryptionType"]);
            w.WriteStartObject(encryption is null ? 2 : 3);
            w.WritePropertyName("FailedRecordCount");
            w.WriteInt64((s.results?["FailedRecordCount"].AsInt64() ?? 0) + s.refused);
            w.WritePropertyName("Records");
            w.WriteStartArray(s.entries.Count);
            var next = 0;
            foreach (var entry in s.entries)
            {
                if (entry.Outcome == EntryOutcome.Admitted)
                {
                    WireTree.Write(w, forwarded[next++]);
                }
                else
                {
                    entry.WriteRefusal(w);
                }
            }

            w.WriteEndArray();
            if (encryption is not null)
            {
                w.WritePropertyName("EncryptionType");
                w.WriteString(encryption);
            }

            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private async Task PutRecordAsync(ProxyExchange exchange)
    {
        var root = exchange.TryReadBody();
        if (root is null || WireTree.StreamName(root) is not { } stream || !PutEntry.TryRead(root, out var entry))
        {
            await RelayAsync(exchange).ConfigureAwait(false);
            return;
        }

        var single = new[] { entry };
        if (await RouteAsync(exchange, stream, single).ConfigureAwait(false) &&
            single[0].Shard is { } shard && !shard.TryAdmitWrite(entry.Bytes))
        {
            _counters.ThrottledPutRecord();
            await ProxyReplies.ThrottledAsync(exchange, shard).ConfigureAwait(false);
            return;
        }

        var reply = await _backend.ForwardAsync(exchange, exchange.Body).ConfigureAwait(false);
        if (reply.IsSuccess && ReadReply(reply) is { } result)
        {
            CountAccepted(stream, single, [result]);
        }

        await ProxyReplies.RelayAsync(exchange.Context, reply).ConfigureAwait(false);
    }

    /// <summary>Finds each entry's shard, fetching the map again once if some hash key has none.</summary>
    /// <returns>False when the backend cannot list the stream's shards; the request then goes through unlimited.</returns>
    private async Task<bool> RouteAsync(ProxyExchange exchange, string stream, Memory<PutEntry> entries)
    {
        var refresh = false;
        while (true)
        {
            var map = await _maps.GetAsync(stream, exchange.Context.Request, refresh, exchange.Aborted).ConfigureAwait(false);
            if (map is null)
            {
                return false;
            }

            var unmapped = false;
            foreach (ref var entry in entries.Span)
            {
                entry.Shard = map.Find(entry.HashKey);
                unmapped |= entry.Shard is null;
            }

            if (!unmapped || refresh)
            {
                return true;
            }

            refresh = true;
        }
    }

    private void CountAccepted(string stream, ReadOnlySpan<PutEntry> entries, IReadOnlyList<WireValue> results)
    {
        var next = 0;
        foreach (var entry in entries)
        {
            if (entry.Outcome != EntryOutcome.Admitted)
            {
                continue;
            }

            var result = results[next++];
            if (WireTree.Text(result["ShardId"]) is not { } shardId || !string.IsNullOrEmpty(WireTree.Text(result["ErrorCode"])))
            {
                continue;
            }

            _maps.Seen(stream, shardId);
            _registry.Get(stream, shardId).CountAccepted(entry.Bytes, entry.DataBytes);
            _onAccepted?.Invoke(
                stream,
                shardId,
                entry.PartitionKey,
                entry.ExplicitHashKey,
                entry.Value["Data"].AsBlob(),
                WireTree.Text(result["SequenceNumber"]) ?? string.Empty);
        }
    }

    private static void WriteAdmitted(IWireWriter w, WireValue root, ArraySegment<PutEntry> entries)
    {
        var admitted = entries.Count(e => e.Outcome == EntryOutcome.Admitted);
        w.WriteStartObject(root.Properties.Count(p => !p.Value.IsNull));
        foreach (var (name, value) in root.Properties)
        {
            if (value.IsNull)
            {
                continue;
            }

            w.WritePropertyName(name);
            if (name != "Records")
            {
                WireTree.Write(w, value);
                continue;
            }

            w.WriteStartArray(admitted);
            foreach (var entry in entries)
            {
                if (entry.Outcome == EntryOutcome.Admitted)
                {
                    WireTree.Write(w, entry.Value);
                }
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
