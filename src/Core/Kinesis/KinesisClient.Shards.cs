using Kinesis.Clients.Records;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

public sealed partial class KinesisClient
{
    /// <summary>Lists one page of shards.</summary>
    /// <param name="request">The stream and filters, or the next-page token.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ListShardsResponse> ListShardsAsync(ListShardsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.NextToken is null)
        {
            RequireStream(request.StreamName, request.StreamArn, nameof(request));
        }

        if (request.MaxResults is < 1 or > 10_000)
        {
            throw new ArgumentException($"MaxResults must be between 1 and 10,000; got {request.MaxResults}.", nameof(request));
        }

        if (request.ShardFilter is { Type: ShardFilterType.AfterShardId, ShardId: null })
        {
            throw new ArgumentException("An AfterShardId filter needs a ShardId.", nameof(request));
        }

        if (request.ShardFilter is { Type: ShardFilterType.AtTimestamp or ShardFilterType.FromTimestamp, Timestamp: null })
        {
            throw new ArgumentException($"A {request.ShardFilter.Type} filter needs a Timestamp.", nameof(request));
        }

        return await SendAsync(
            "ListShards",
            request,
            static (w, r) => KinesisRequestWriters.ListShards(w, r),
            reply => new ListShardsResponse(
            reply["Shards"].Items.Select(KinesisReplies.Shard).ToList(),
            reply["NextToken"].AsString()),
            request.NextToken is null ? StreamContext(request.StreamName, request.StreamArn) : "next page",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists every shard of a stream, following the pages.</summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="filter">Which shards; <see langword="null"/> for all that are retained.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    public async Task<IReadOnlyList<Shard>> ListAllShardsAsync(
        string streamName,
        ShardFilter? filter = null,
        CancellationToken cancellationToken = default)
    {
        var shards = new List<Shard>();
        var page = await ListShardsAsync(
            new ListShardsRequest { StreamName = streamName, ShardFilter = filter },
            cancellationToken).ConfigureAwait(false);
        shards.AddRange(page.Shards);
        while (page.NextToken is not null)
        {
            page = await ListShardsAsync(new ListShardsRequest { NextToken = page.NextToken }, cancellationToken)
                .ConfigureAwait(false);
            shards.AddRange(page.Shards);
        }

        return shards;
    }

    /// <summary>Splits a shard in two at <paramref name="newStartingHashKey"/>.</summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="shardToSplit">The open shard to split.</param>
    /// <param name="newStartingHashKey">The first hash key of the upper child; inside the shard's range, above its start.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task SplitShardAsync(string streamName, string shardToSplit, HashKey newStartingHashKey, CancellationToken cancellationToken = default)
    {
        RecordValidation.ValidateStreamName(streamName, nameof(streamName));
        ArgumentException.ThrowIfNullOrWhiteSpace(shardToSplit);
        await SendAsync(
            "SplitShard",
            (streamName, shardToSplit, newStartingHashKey),
            static (w, s) =>
            {
                w.WriteStartObject(3);
                w.WritePropertyName("StreamName");
                w.WriteString(s.streamName);
                w.WritePropertyName("ShardToSplit");
                w.WriteString(s.shardToSplit);
                w.WritePropertyName("NewStartingHashKey");
                w.WriteString(s.newStartingHashKey.ToString());
                w.WriteEndObject();
            },
            NoReply,
            $"stream {streamName}, shard {shardToSplit}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Merges two adjacent open shards into one.</summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="shardToMerge">One shard.</param>
    /// <param name="adjacentShardToMerge">The shard whose range touches the first one's.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task MergeShardsAsync(string streamName, string shardToMerge, string adjacentShardToMerge, CancellationToken cancellationToken = default)
    {
        RecordValidation.ValidateStreamName(streamName, nameof(streamName));
        ArgumentException.ThrowIfNullOrWhiteSpace(shardToMerge);
        ArgumentException.ThrowIfNullOrWhiteSpace(adjacentShardToMerge);
        await SendAsync(
            "MergeShards",
            (streamName, shardToMerge, adjacentShardToMerge),
            static (w, s) =>
            {
                w.WriteStartObject(3);
                w.WritePropertyName("StreamName");
                w.WriteString(s.streamName);
                w.WritePropertyName("ShardToMerge");
                w.WriteString(s.shardToMerge);
                w.WritePropertyName("AdjacentShardToMerge");
                w.WriteString(s.adjacentShardToMerge);
                w.WriteEndObject();
            },
            NoReply,
            $"stream {streamName}, shards {shardToMerge} + {adjacentShardToMerge}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resizes a stream to <paramref name="targetShardCount"/> open shards (uniform scaling).</summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="targetShardCount">The open shards wanted.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<UpdateShardCountResponse> UpdateShardCountAsync(string streamName, int targetShardCount, CancellationToken cancellationToken = default)
    {
        RecordValidation.ValidateStreamName(streamName, nameof(streamName));
        ArgumentOutOfRangeException.ThrowIfLessThan(targetShardCount, 1);
        return await SendAsync(
            "UpdateShardCount",
            (streamName, targetShardCount),
            static (w, s) =>
            {
                w.WriteStartObject(3);
                w.WritePropertyName("StreamName");
                w.WriteString(s.streamName);
                w.WritePropertyName("TargetShardCount");
                w.WriteInt64(s.targetShardCount);
                w.WritePropertyName("ScalingType");
                w.WriteString("UNIFORM_SCALING");
                w.WriteEndObject();
            },
            reply => new UpdateShardCountResponse(
            reply["StreamName"].AsString() ?? streamName,
            (int)(reply["CurrentShardCount"].AsInt64() ?? 0),
            (int)(reply["TargetShardCount"].AsInt64() ?? targetShardCount)),
            StreamContext(streamName, null),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets an iterator to read a shard from the given position.</summary>
    /// <param name="request">The shard and the position.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The shard iterator, valid for 5 minutes.</returns>
    public async Task<string> GetShardIteratorAsync(GetShardIteratorRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireStream(request.StreamName, request.StreamArn, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ShardId, nameof(request));
        var needsSequence = request.IteratorType is ShardIteratorType.AtSequenceNumber or ShardIteratorType.AfterSequenceNumber;
        if (needsSequence && string.IsNullOrEmpty(request.StartingSequenceNumber))
        {
            throw new ArgumentException($"{request.IteratorType} needs a StartingSequenceNumber.", nameof(request));
        }

        if (request.IteratorType == ShardIteratorType.AtTimestamp && request.Timestamp is null)
        {
            throw new ArgumentException("AtTimestamp needs a Timestamp.", nameof(request));
        }

        return await SendAsync(
            "GetShardIterator",
            request,
            static (w, r) => KinesisRequestWriters.GetShardIterator(w, r),
            reply => reply.RequiredString("ShardIterator"),
            $"{StreamContext(request.StreamName, request.StreamArn)}, shard {request.ShardId}",
            cancellationToken).ConfigureAwait(false);
    }
}
