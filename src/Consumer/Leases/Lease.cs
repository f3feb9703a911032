using System.Collections.Frozen;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// One row of the KCL 2.x lease table, as read at one moment. Immutable: every store write returns the lease as
/// it stands after that write, so the holder always knows the <see cref="LeaseCounter"/> its next fenced write
/// must match.
/// </summary>
internal sealed record Lease
{
    private static readonly IReadOnlySet<string> NoShards = FrozenSet<string>.Empty;

    /// <summary>The shard id (or <c>account:stream:creationEpoch:shardId</c> for multi-stream tables).</summary>
    public required string LeaseKey { get; init; }

    /// <summary>The worker holding the lease; <see langword="null"/> when nobody does.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>
    /// The worker that must still checkpoint and hand the lease over, set while a KCL 3.x graceful handoff is in
    /// progress (then <see cref="LeaseOwner"/> already names the next owner); <see langword="null"/> otherwise.
    /// </summary>
    public string? CheckpointOwner { get; init; }

    /// <summary>The worker processing the shard now: the checkpoint owner during a handoff, else the lease owner.</summary>
    public string? ActualOwner => CheckpointOwner ?? LeaseOwner;

    /// <summary>The fencing counter: +1 on every renew, take, release and checkpoint.</summary>
    public long LeaseCounter { get; init; }

    /// <summary>Where processing of the shard has reached.</summary>
    public ExtendedSequenceNumber Checkpoint { get; init; } = ExtendedSequenceNumber.TrimHorizon;

    /// <summary>The first half of a two-phase checkpoint, if one is in progress.</summary>
    public ExtendedSequenceNumber? PendingCheckpoint { get; init; }

    /// <summary>Application state saved with <see cref="PendingCheckpoint"/>; treat as read-only.</summary>
    public byte[]? PendingCheckpointState { get; init; }

    /// <summary>How many times the lease changed hands since the last checkpoint.</summary>
    public long OwnerSwitchesSinceCheckpoint { get; init; }

    /// <summary>The shard's parents: one after a split, two after a merge, none for an original shard.</summary>
    public IReadOnlySet<string> ParentShardIds { get; init; } = NoShards;

    /// <summary>The shard's children, written when the shard has been processed to its end.</summary>
    public IReadOnlySet<string> ChildShardIds { get; init; } = NoShards;

    /// <summary>The hash keys the shard owns, when known.</summary>
    public HashKeyRange? HashKeyRange { get; init; }

    /// <summary>
    /// Multi-stream tables only: the stream, serialized <c>account:stream:creationEpoch</c> (the KCL's <c>streamName</c>
    /// attribute); <see langword="null"/> on a single-stream lease.
    /// </summary>
    public string? StreamIdentifier { get; init; }

    /// <summary>Multi-stream tables only: the shard id (the KCL's <c>shardId</c> attribute); else the lease key is the shard id.</summary>
    public string? ShardId { get; init; }

    /// <summary>The shard this lease is for: <see cref="ShardId"/> on a multi-stream lease, else the lease key.</summary>
    public string ShardIdOrKey => ShardId ?? LeaseKey;

    /// <summary>Whether the row is a multi-stream lease (the KCL's <c>MultiStreamLease</c>: it has a stream).</summary>
    public bool IsMultiStream => StreamIdentifier is not null;

    /// <summary>Whether the shard has been processed to its end (checkpoint <c>SHARD_END</c>).</summary>
    public bool IsFinished => Checkpoint.IsShardEnd;

    /// <summary>Creates the lease of a shard nobody holds yet.</summary>
    public static Lease ForNewShard(
        string leaseKey,
        ExtendedSequenceNumber initialPosition,
        IEnumerable<string>? parentShardIds = null,
        HashKeyRange? hashKeyRange = null) => new()
        {
            LeaseKey = leaseKey,
            Checkpoint = initialPosition,
            ParentShardIds = ToSet(parentShardIds),
            HashKeyRange = hashKeyRange,
        };

    /// <summary>A read-only set of shard ids; empty for <see langword="null"/>.</summary>
    public static IReadOnlySet<string> ToSet(IEnumerable<string>? shardIds) =>
        shardIds is null ? NoShards : shardIds.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Field-by-field equality, comparing the shard sets and the state bytes by content.</summary>
    public bool Equals(Lease? other) =>
        other is not null &&
        LeaseKey == other.LeaseKey &&
        LeaseOwner == other.LeaseOwner &&
        CheckpointOwner == other.CheckpointOwner &&
        LeaseCounter == other.LeaseCounter &&
        Checkpoint == other.Checkpoint &&
        PendingCheckpoint == other.PendingCheckpoint &&
        OwnerSwitchesSinceCheckpoint == other.OwnerSwitchesSinceCheckpoint &&
        ParentShardIds.SetEquals(other.ParentShardIds) &&
        ChildShardIds.SetEquals(other.ChildShardIds) &&
        HashKeyRange == other.HashKeyRange &&
        StreamIdentifier == other.StreamIdentifier &&
        ShardId == other.ShardId &&
        PendingCheckpointState.AsSpan().SequenceEqual(other.PendingCheckpointState.AsSpan()) &&
        (PendingCheckpointState is null) == (other.PendingCheckpointState is null);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(LeaseKey, LeaseOwner, LeaseCounter, Checkpoint);

    /// <summary>The lease in one line, for logs and test failures (the state bytes by length only).</summary>
    public override string ToString() =>
        $"Lease {LeaseKey} owner={LeaseOwner ?? "(none)"} counter={LeaseCounter} checkpoint={Checkpoint}" +
        (CheckpointOwner is { } checkpointOwner ? $" checkpointOwner={checkpointOwner}" : "") +
        (PendingCheckpoint is { } pending ? $" pending={pending}" : "") +
        (PendingCheckpointState is { } state ? $" pendingState={state.Length}B" : "") +
        $" ownerSwitches={OwnerSwitchesSinceCheckpoint}" +
        (ParentShardIds.Count > 0 ? $" parents=[{string.Join(",", ParentShardIds.Order(StringComparer.Ordinal))}]" : "") +
        (ChildShardIds.Count > 0 ? $" children=[{string.Join(",", ChildShardIds.Order(StringComparer.Ordinal))}]" : "") +
        (HashKeyRange is { } range ? $" hashKeys={range}" : "") +
        (StreamIdentifier is { } stream ? $" stream={stream} shard={ShardId}" : "");
}
