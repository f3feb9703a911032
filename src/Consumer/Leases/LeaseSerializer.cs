using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// Lease rows in the Java KCL 2.x item layout: counters and sub-sequence numbers as N, sequence numbers and owners
/// as S, shard id lists as SS, the pending checkpoint state as B, hash keys as decimal S.
/// </summary>
internal static class LeaseSerializer
{
    public static Dictionary<string, AttributeValue> ToItem(Lease lease)
    {
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [LeaseAttributes.LeaseKey] = S(lease.LeaseKey),
            [LeaseAttributes.LeaseCounter] = N(lease.LeaseCounter),
            [LeaseAttributes.OwnerSwitchesSinceCheckpoint] = N(lease.OwnerSwitchesSinceCheckpoint),
            [LeaseAttributes.Checkpoint] = S(lease.Checkpoint.SequenceNumber),
            [LeaseAttributes.CheckpointSubSequenceNumber] = N(lease.Checkpoint.SubSequenceNumber),
        };
        if (lease.LeaseOwner is not null)
        {
            item[LeaseAttributes.LeaseOwner] = S(lease.LeaseOwner);
        }

        if (lease.ParentShardIds.Count > 0)
        {
            item[LeaseAttributes.ParentShardId] = SS(lease.ParentShardIds);
        }

        if (lease.ChildShardIds.Count > 0)
        {
            item[LeaseAttributes.ChildShardIds] = SS(lease.ChildShardIds);
        }

        if (lease.PendingCheckpoint is { } pending)
        {
            item[LeaseAttributes.PendingCheckpoint] = S(pending.SequenceNumber);
            item[LeaseAttributes.PendingCheckpointSubSequenceNumber] = N(pending.SubSequenceNumber);
        }

        if (lease.PendingCheckpointState is { } state)
        {
            item[LeaseAttributes.PendingCheckpointState] = B(state);
        }

        if (lease.HashKeyRange is { } range)
        {
            item[LeaseAttributes.StartingHashKey] = S(range.StartingHashKey.ToString());
            item[LeaseAttributes.EndingHashKey] = S(range.EndingHashKey.ToString());
        }

        if (lease.CheckpointOwner is not null)
        {
            item[LeaseAttributes.CheckpointOwner] = S(lease.CheckpointOwner);
        }

        // The KCL's DynamoDBMultiStreamLeaseSerializer: both as S, on every multi-stream lease.
        if (lease.StreamIdentifier is not null)
        {
            item[LeaseAttributes.StreamName] = S(lease.StreamIdentifier);
            item[LeaseAttributes.ShardId] = S(lease.ShardId ?? throw new InvalidOperationException($"Multi-stream lease {lease.LeaseKey} has no shard id."));
        }

        return item;
    }

    /// <summary>
    /// Whether a row is a lease: KCL 3.5 keeps its coordinator state and worker metrics in the lease table too,
    /// each with an <c>entityType</c> other than <c>LEASE</c>; rows without one are leases (KCL 2.x and 3.0-3.4).
    /// </summary>
    /// <exception cref="InvalidDataException">The row's <c>entityType</c> is not a string.</exception>
    public static bool IsLease(IReadOnlyDictionary<string, AttributeValue> item) =>
        GetString(item, LeaseAttributes.EntityType) is not { } type || type == LeaseAttributes.LeaseEntityType;

    /// <summary>The row's key for log lines, whatever else is wrong with it.</summary>
    public static string KeyOf(IReadOnlyDictionary<string, AttributeValue> item) =>
        item.TryGetValue(LeaseAttributes.LeaseKey, out var key) && key.S is { } s ? s : "(no leaseKey)";

    /// <summary>Reads a row; attributes this library does not know (a newer KCL's) are ignored and left in place.</summary>
    /// <exception cref="InvalidDataException">
    /// The row is not a lease, has no key, or has a value that cannot be what the KCL writes.
    /// </exception>
    public static Lease FromItem(IReadOnlyDictionary<string, AttributeValue> item)
    {
        if (!IsLease(item))
        {
            throw new InvalidDataException(
                $"Lease table row '{KeyOf(item)}' is a KCL '{item[LeaseAttributes.EntityType].S}' row, not a lease.");
        }

        var key = GetString(item, LeaseAttributes.LeaseKey);
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidDataException($"A lease table row has no '{LeaseAttributes.LeaseKey}' string.");
        }

        var stream = GetString(item, LeaseAttributes.StreamName);
        var shardId = GetString(item, LeaseAttributes.ShardId);
        if ((stream is null) != (shardId is null) || (stream is not null && !StreamIdentifier.TryParse(stream, out _)))
        {
            // The KCL would fail on such a row when it reads the stream; here the listing skips it and says why.
            throw new InvalidDataException(
                $"Lease table row '{key}' is not a KCL multi-stream lease: '{LeaseAttributes.StreamName}' = '{stream}' and " +
                $"'{LeaseAttributes.ShardId}' = '{shardId}' must both be there, the first as account:stream:creationEpoch.");
        }

        try
        {
            return new Lease
            {
                LeaseKey = key,
                LeaseOwner = GetString(item, LeaseAttributes.LeaseOwner),
                CheckpointOwner = GetString(item, LeaseAttributes.CheckpointOwner),
                LeaseCounter = GetLong(item, LeaseAttributes.LeaseCounter),
                OwnerSwitchesSinceCheckpoint = GetLong(item, LeaseAttributes.OwnerSwitchesSinceCheckpoint),
                // The KCL always writes a checkpoint; a row without one (hand-made) starts from the oldest record.
                Checkpoint = new ExtendedSequenceNumber(
                    GetString(item, LeaseAttributes.Checkpoint) ?? ExtendedSequenceNumber.TrimHorizonValue,
                    GetLong(item, LeaseAttributes.CheckpointSubSequenceNumber)),
                PendingCheckpoint = GetString(item, LeaseAttributes.PendingCheckpoint) is { Length: > 0 } pending
                    ? new ExtendedSequenceNumber(pending, GetLong(item, LeaseAttributes.PendingCheckpointSubSequenceNumber))
                    : null,
                PendingCheckpointState = GetBytes(item, LeaseAttributes.PendingCheckpointState),
                ParentShardIds = Lease.ToSet(GetStringSet(item, LeaseAttributes.ParentShardId)),
                ChildShardIds = Lease.ToSet(GetStringSet(item, LeaseAttributes.ChildShardIds)),
                HashKeyRange = GetString(item, LeaseAttributes.StartingHashKey) is { Length: > 0 } start &&
                               GetString(item, LeaseAttributes.EndingHashKey) is { Length: > 0 } end
                    ? HashKeyRange.Parse(start, end)
                    : null,
                StreamIdentifier = stream,
                ShardId = shardId,
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or InvalidCastException)
        {
            throw new InvalidDataException($"Lease table row '{key}' has a value the KCL would not write: {e.Message}", e);
        }
    }

    public static Dictionary<string, AttributeValue> Key(string leaseKey) =>
        new(StringComparer.Ordinal) { [LeaseAttributes.LeaseKey] = S(leaseKey) };

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue SS(IEnumerable<string> values) => new() { SS = values.Order(StringComparer.Ordinal).ToList() };

    public static AttributeValue B(byte[] value) => new() { B = new MemoryStream(value, writable: false) };

    // An attribute of the wrong type is an error rather than an absent value: a row a KCL never wrote (hand-edited,
    // or another application's table) must not read as a lease at TRIM_HORIZON with counter 0.
    private static string? GetString(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        !item.TryGetValue(name, out var value) || value.NULL == true ? null
        : value.S ?? throw new InvalidDataException($"Lease table row '{KeyOf(item)}' has '{name}' of a type other than S.");

    private static long GetLong(IReadOnlyDictionary<string, AttributeValue> item, string name)
    {
        if (!item.TryGetValue(name, out var value) || value.NULL == true)
        {
            return 0;
        }

        return value.N is { Length: > 0 } n
            ? long.Parse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
            : throw new InvalidDataException($"Lease table row '{KeyOf(item)}' has '{name}' of a type other than N.");
    }

    private static List<string>? GetStringSet(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        !item.TryGetValue(name, out var value) || value.NULL == true ? null
        : value.SS is { Count: > 0 } set ? set
        : throw new InvalidDataException($"Lease table row '{KeyOf(item)}' has '{name}' of a type other than SS.");

    // The Java KCL's serializer (in the 3.x sources, at least) writes the checkpoint's sub-sequence number, an N,
    // here when it creates a lease that has state; only a B is state, anything else reads as none.
    private static byte[]? GetBytes(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.B is { } stream ? stream.ToArray() : null;
}
