using System.Collections.Concurrent;
using System.Diagnostics;
using Kinesis.Clients.Records;
using Kinesis.Clients.Wire;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Shard maps of the backend's streams, fetched with ListShards and cached until something says they changed:
/// a reshard passing through, a record whose hash key no open shard holds, or a reply naming an unknown shard.
/// </summary>
internal sealed class BackendShardMaps
{
    // Resharding completes in the engine some time after the call returns (the stream is UPDATING meanwhile),
    // so after one the map is fetched again on each use until it changes, for at most this long. Real time:
    // it waits on the engine, not on the proxy's (possibly fake) clock.
    private static readonly TimeSpan ReshardWatch = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _streams = new(StringComparer.Ordinal);
    private readonly BackendClient _backend;
    private readonly ShardRegistry _registry;

    public BackendShardMaps(BackendClient backend, ShardRegistry registry)
    {
        _backend = backend;
        _registry = registry;
    }

    /// <summary>The stream's map; <see langword="null"/> when the backend cannot list its shards (e.g. no such stream).</summary>
    public async Task<ShardMap?> GetAsync(string stream, HttpRequest signedLike, bool refresh, CancellationToken cancellationToken)
    {
        var entry = _streams.GetOrAdd(stream, static _ => new Entry());
        if (!refresh && entry.Map is { } cached && !entry.Stale && entry.WatchUntil == 0)
        {
            return cached;
        }

        var arrived = Stopwatch.GetTimestamp();
        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller fetched the map after this one arrived: that answer is fresh enough.
            if (entry.FetchedAt > arrived && entry.Map is not null)
            {
                return entry.Map;
            }

            var map = await FetchAsync(stream, signedLike, cancellationToken).ConfigureAwait(false);
            entry.FetchedAt = Stopwatch.GetTimestamp();
            if (map is null)
            {
                return null;
            }

            if (entry.WatchUntil != 0 &&
                ((entry.Before is not null && !map.SameShardsAs(entry.Before)) || Stopwatch.GetTimestamp() > entry.WatchUntil))
            {
                entry.WatchUntil = 0;
                entry.Before = null;
            }

            entry.Map = map;
            entry.Stale = false;
            return map;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    /// <summary>A SplitShard, MergeShards or UpdateShardCount on <paramref name="stream"/> was accepted.</summary>
    public void Resharded(string stream)
    {
        var entry = _streams.GetOrAdd(stream, static _ => new Entry());
        entry.Before = entry.Map;
        entry.WatchUntil = Stopwatch.GetTimestamp() + (long)(ReshardWatch.TotalSeconds * Stopwatch.Frequency);
        entry.Stale = true;
    }

    /// <summary>The backend put a record on <paramref name="shardId"/>; a shard the map does not know means the map is old.</summary>
    public void Seen(string stream, string shardId)
    {
        if (_streams.TryGetValue(stream, out var entry) && entry.Map is { } map && !map.Contains(shardId))
        {
            entry.Stale = true;
        }
    }

    private async Task<ShardMap?> FetchAsync(string stream, HttpRequest signedLike, CancellationToken cancellationToken)
    {
        var open = new List<(HashKeyRange, ShardState)>();
        string? next = null;
        do
        {
            var reply = await _backend.CallAsync("ListShards", (stream, next), static (w, s) =>
            {
                w.WriteStartObject(2);
                w.WritePropertyName(s.next is null ? "StreamName" : "NextToken");
                w.WriteString(s.next ?? s.stream);
                w.WritePropertyName("MaxResults");
                w.WriteInt64(1000);
                w.WriteEndObject();
            }, signedLike, cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess || WireTree.TryRead(WireProtocol.Json, reply.Body) is not { } page)
            {
                return null;
            }

            foreach (var shard in page["Shards"].Items)
            {
                // A closed shard has an ending sequence number and takes no more records.
                if (!shard["SequenceNumberRange"]["EndingSequenceNumber"].IsNull)
                {
                    continue;
                }

                var range = shard["HashKeyRange"];
                open.Add((
                    HashKeyRange.Parse(range.RequiredString("StartingHashKey"), range.RequiredString("EndingHashKey")),
                    _registry.Get(stream, shard.RequiredString("ShardId"))));
            }

            next = page["NextToken"].AsString();
        }
        while (next is not null);

        return new ShardMap(open);
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public volatile ShardMap? Map;

        public volatile bool Stale;

        public ShardMap? Before;

        public long WatchUntil;

        public long FetchedAt;
    }
}
