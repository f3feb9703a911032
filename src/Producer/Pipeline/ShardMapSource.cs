using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Fetches a stream's shard map with ListShards and keeps the newest one. Concurrent refresh requests
/// share one call, and requests closer together than a minimum interval share the last result, so a burst
/// of mispredicted records costs one ListShards, not hundreds (the API allows 100 calls/s per stream).
/// </summary>
internal sealed class ShardMapSource
{
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromMilliseconds(500);

    private readonly KinesisClient _client;
    private readonly string _streamName;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CredentialsFailureLog _credentialsLog;
    private readonly Action<ShardMap> _onRefreshed;
    private readonly object _lock = new();
    private Task<ShardMap>? _refreshing;
    private ShardMap? _current;
    private long _lastRefreshAt;

    public ShardMapSource(KinesisClient client, string streamName, TimeProvider time, ILogger logger, CredentialsFailureLog credentialsLog, Action<ShardMap> onRefreshed)
    {
        _client = client;
        _streamName = streamName;
        _time = time;
        _logger = logger;
        _credentialsLog = credentialsLog;
        _onRefreshed = onRefreshed;
    }

    public ShardMap? Current => Volatile.Read(ref _current);

    /// <summary>The last refresh error, kept for the message of records that expire without a map.</summary>
    public Exception? LastError { get; private set; }

    public Task<ShardMap> RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_refreshing is not null)
            {
                return _refreshing;
            }

            var current = Current;
            if (!force && current is not null && _time.GetElapsedTime(_lastRefreshAt) < MinRefreshInterval)
            {
                return Task.FromResult(current);
            }

            _refreshing = FetchAsync(cancellationToken);
            return _refreshing;
        }
    }

    /// <summary>The range of <paramref name="shardId"/>, listing the stream's closed shards too if needed.</summary>
    public async Task<HashKeyRange?> GetRangeAsync(string shardId, CancellationToken cancellationToken)
    {
        if (Current?.TryGetRange(shardId, out var known) == true)
        {
            return known;
        }

        var refreshed = await RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
        if (refreshed.TryGetRange(shardId, out var range))
        {
            return range;
        }

        // A record can land on a shard that closed right after; closed shards are not in the open-shard map.
        var all = await _client.ListAllShardsAsync(_streamName, null, cancellationToken).ConfigureAwait(false);
        var match = all.FirstOrDefault(s => s.ShardId == shardId);
        return match?.HashKeyRange;
    }

    private async Task<ShardMap> FetchAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var shards = await _client.ListAllShardsAsync(_streamName, new ShardFilter(ShardFilterType.AtLatest), cancellationToken)
                .ConfigureAwait(false);
            var previous = Current;
            var map = new ShardMap(shards, previous?.KnownRanges, (previous?.Version ?? 0) + 1);
            Volatile.Write(ref _current, map);
            LastError = null;
            _credentialsLog.Succeeded();
            ProducerLog.ShardMapRefreshed(_logger, _streamName, map.OpenShardIds.Count, map.Version);
            _onRefreshed(map);
            return map;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LastError = ex;
            if (ex is AwsCredentialsException credentials)
            {
                _credentialsLog.Failed(credentials);
            }
            else
            {
                ProducerLog.ShardMapFailed(_logger, _streamName, ex.Message, ex);
            }

            throw;
        }
        finally
        {
            lock (_lock)
            {
                _lastRefreshAt = _time.GetTimestamp();
                _refreshing = null;
            }
        }
    }
}
