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

        return item;
    }

    /// <summary>Reads a row; attributes this library does not know (a newer KCL's) are ignored and left in place.</summary>
    /// <exception cref="InvalidDataException">The row has no key, or a value that cannot be what the KCL writes.</exception>
    public static Lease FromItem(IReadOnlyDictionary<string, AttributeValue> item)
    {
        var key = GetString(item, LeaseAttributes.LeaseKey);
        if (string.IsNullOrEmpty(key))
        {
            throw new InvalidDataException($"A lease table row has no '{LeaseAttributes.LeaseKey}' string.");
        }

        try
        {
            return new Lease
            {
                LeaseKey = key,
                LeaseOwner = GetString(item, LeaseAttributes.LeaseOwner),
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
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
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

    private static string? GetString(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static long GetLong(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { Length: > 0 } n
            ? long.Parse(n, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)
            : 0;

    private static List<string>? GetStringSet(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.SS : null;

    // The Java KCL's serializer (in the 3.x sources, at least) writes the checkpoint's sub-sequence number, an N,
    // here when it creates a lease that has state; only a B is state, anything else reads as none.
    private static byte[]? GetBytes(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.B is { } stream ? stream.ToArray() : null;
}
