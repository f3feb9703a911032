using System.Numerics;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Reads one shard of the backing engine for one subscription, from the requested starting position, and keeps the
/// continuation sequence number such that <c>AFTER_SEQUENCE_NUMBER</c> of it resumes exactly where the subscription
/// stood: the last record sent, or before any record, the last record ahead of the starting position (the shard's
/// starting sequence number when there is none, which kinesis-mock reads after as from the first record).
/// </summary>
internal sealed class ShardFeed
{
    private readonly KinesisClient _backend;
    private readonly string _streamName;
    private readonly string _shardId;
    private readonly SubscribeRequest _request;
    private string? _iterator;

    private ShardFeed(KinesisClient backend, string streamName, SubscribeRequest request, string iterator, string? continuation)
    {
        _backend = backend;
        _streamName = streamName;
        _shardId = request.ShardId;
        _request = request;
        _iterator = iterator;
        Continuation = continuation;
    }

    /// <summary>Where the subscription stands; computed lazily before the first record is sent.</summary>
    public string? Continuation { get; private set; }

    public static async Task<ShardFeed> OpenAsync(KinesisClient backend, string streamName, SubscribeRequest request, CancellationToken cancellationToken)
    {
        var type = request.PositionType;
        string? continuation = null;
        GetShardIteratorRequest iterator;
        switch (type)
        {
            case ShardIteratorType.Latest:
                // LATEST is "after the newest record now"; pinning it makes the continuation exact.
                continuation = await LastBeforeAsync(backend, streamName, request.ShardId, _ => false, cancellationToken).ConfigureAwait(false);
                iterator = new GetShardIteratorRequest
                {
                    StreamName = streamName,
                    ShardId = request.ShardId,
                    IteratorType = ShardIteratorType.AfterSequenceNumber,
                    StartingSequenceNumber = continuation,
                };
                break;
            case ShardIteratorType.AfterSequenceNumber:
                continuation = request.SequenceNumber;
                goto default;
            default:
                iterator = new GetShardIteratorRequest
                {
                    StreamName = streamName,
                    ShardId = request.ShardId,
                    IteratorType = type,
                    StartingSequenceNumber = request.SequenceNumber,
                    Timestamp = request.Timestamp,
                };
                break;
        }

        var first = await backend.GetShardIteratorAsync(iterator, cancellationToken).ConfigureAwait(false);
        return new ShardFeed(backend, streamName, request, first, continuation);
    }

    /// <summary>The next records, at most <paramref name="limit"/>; <see cref="FeedBatch.ShardEnded"/> once the closed shard is read to its end.</summary>
    public async Task<FeedBatch> ReadAsync(int limit, CancellationToken cancellationToken)
    {
        var page = await _backend.GetRecordsAsync(_iterator!, limit, cancellationToken).ConfigureAwait(false);
        _iterator = page.NextShardIterator;
        if (page.Records.Count > 0)
        {
            Continuation = page.Records[^1].SequenceNumber;
        }

        return new FeedBatch(page.Records, page.MillisBehindLatest ?? 0, page.ChildShards, ShardEnded: _iterator is null);
    }

    /// <summary>The continuation to send with an event when no record has been sent yet.</summary>
    public async Task<string> ContinuationAsync(CancellationToken cancellationToken)
    {
        if (Continuation is null)
        {
            Func<KinesisRecord, bool> atOrAfterStart = _request.PositionType switch
            {
                ShardIteratorType.AtSequenceNumber => r => BigInteger.Parse(r.SequenceNumber, System.Globalization.CultureInfo.InvariantCulture)
                    >= BigInteger.Parse(_request.SequenceNumber!, System.Globalization.CultureInfo.InvariantCulture),
                ShardIteratorType.AtTimestamp => r => r.ApproximateArrivalTimestamp >= _request.Timestamp,
                _ => _ => true, // TRIM_HORIZON: nothing lies ahead of it.
            };
            Continuation = await LastBeforeAsync(_backend, _streamName, _shardId, atOrAfterStart, cancellationToken).ConfigureAwait(false);
        }

        return Continuation;
    }

    // The sequence number of the last record before the first one matching isStart, or the shard's starting
    // sequence number when there is none.
    private static async Task<string> LastBeforeAsync(
        KinesisClient backend, string streamName, string shardId, Func<KinesisRecord, bool> isStart, CancellationToken cancellationToken)
    {
        var shards = await backend.ListAllShardsAsync(streamName, cancellationToken: cancellationToken).ConfigureAwait(false);
        var shard = shards.FirstOrDefault(s => s.ShardId == shardId)
            ?? throw new InvalidOperationException($"Shard {shardId} of stream {streamName} is not listed.");
        var last = shard.StartingSequenceNumber;
        string? iterator = await backend.GetShardIteratorAsync(
            new GetShardIteratorRequest { StreamName = streamName, ShardId = shardId, IteratorType = ShardIteratorType.TrimHorizon },
            cancellationToken).ConfigureAwait(false);
        while (iterator is not null)
        {
            var page = await backend.GetRecordsAsync(iterator, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Records)
            {
                if (isStart(record))
                {
                    return last;
                }

                last = record.SequenceNumber;
            }

            iterator = page.Records.Count == 0 ? null : page.NextShardIterator;
        }

        return last;
    }
}

/// <summary>What one read of the backing shard gave.</summary>
internal sealed record FeedBatch(IReadOnlyList<KinesisRecord> Records, long MillisBehindLatest, IReadOnlyList<ChildShard> ChildShards, bool ShardEnded);
