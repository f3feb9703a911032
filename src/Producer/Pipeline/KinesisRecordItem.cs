using System.Buffers;
using System.Runtime.InteropServices;
using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// One Kinesis record ready to go into a PutRecords request: a KPL aggregate of several user records, or
/// one user record sent as it is.
/// </summary>
internal sealed class KinesisRecordItem
{
    public KinesisRecordItem(
        string predictedShardId,
        string partitionKey,
        string? explicitHashKey,
        ReadOnlyMemory<byte> data,
        UserRecord[] records,
        long dueAt,
        long firstAccepted,
        long userDataBytes,
        int userRecordCount,
        byte[]? rentedBuffer = null,
        UnobservedRecords? unobserved = null,
        int[]? positions = null)
    {
        if (positions is null != unobserved is null || (positions is not null && positions.Length != records.Length))
        {
            throw new ArgumentException("Positions come with records kept only as a count, one for each record carried one by one.", nameof(positions));
        }

        _rented = rentedBuffer;
        _unobserved = unobserved;
        _positions = positions;
        PredictedShardId = predictedShardId;
        PartitionKey = partitionKey;
        ExplicitHashKey = explicitHashKey;
        Data = data;
        Records = records;
        DueAt = dueAt;
        _firstAccepted = firstAccepted;
        var first = unobserved is null || positions is [0, ..] ? records[0] : unobserved.First;
        Stream = first.Stream;

        // With encryption the room its header will take is counted from the start, so requests and rate limits
        // planned now still hold once the record is encrypted at send time.
        Size = data.Length + System.Text.Encoding.UTF8.GetByteCount(partitionKey) + Stream.EncryptionReserve;
        UserDataBytes = userDataBytes;
        UserRecordCount = userRecordCount;

        // The caller summed the records as it added them, so sealing touches no user record (each one a likely
        // cache miss by then). Every record has the same TTL, so the earliest accepted expires first.
        Deadline = Stream.Producer.DeadlineOf(firstAccepted);
        WaitingSince = first.AcceptedAt;
    }

    /// <summary>A Kinesis record carrying one user record as it is.</summary>
    public static KinesisRecordItem Single(string predictedShardId, UserRecord record, long dueAt) =>
        new(predictedShardId, record.PartitionKey, record.ExplicitHashKey, record.Data, [record], dueAt, record.AcceptedAt, record.Data.Length, 1);

    private readonly long _firstAccepted;
    private byte[]? _rented;

    // The records kept only as a count, and the sub-record index of each record of Records among them; both null
    // when every record is carried one by one (Records then fill the aggregate in order).
    private UnobservedRecords? _unobserved;
    private int[]? _positions;

    public StreamContext Stream { get; }

    /// <summary>
    /// Returns the pooled array behind <see cref="Data"/> (an encoded aggregate) once the Kinesis record is
    /// finished: stored, failed for good, expired, or taken apart for re-routing. Never sent after that.
    /// </summary>
    public void ReleaseData()
    {
        var rented = Interlocked.Exchange(ref _rented, null);
        if (rented is not null)
        {
            AggregateBuffers.Return(rented);
        }
    }

    /// <summary>
    /// Whether runs inside gave their data up to <see cref="Data"/> when it was sealed (a plain aggregate, neither
    /// compressed nor encrypted): <see cref="RestoreRunData"/> must then run before a record leaves it unsent.
    /// </summary>
    public bool HoldsRunData { get; init; }

    /// <summary>
    /// Gives every run inside that is not completed its data back, decoded from the aggregate, before records leave
    /// this Kinesis record unsent: failed for good or expired (a failure hands the data back to the caller), or
    /// routed again (a stale shard map, a closed shard). Call it before <see cref="ReleaseData"/>; later calls do
    /// nothing.
    /// </summary>
    public void RestoreRunData()
    {
        if (!HoldsRunData)
        {
            return;
        }

        EnsureDigest();
        List<DeaggregatedRecord>? subRecords = null;
        for (int i = 0, next = 0; i < Records.Length; next += Records[i].Count, i++)
        {
            var record = Records[i];
            var sub = PositionOf(i, next);
            if (!record.HasGivenUpData || record.IsCompleted)
            {
                continue;
            }

            if (subRecords is null)
            {
                if (Volatile.Read(ref _rented) is null)
                {
                    throw new InvalidOperationException("A run's data was asked back from an aggregate already released.");
                }

                subRecords = new List<DeaggregatedRecord>(UserRecordCount);
                if (!Deaggregator.DeaggregateInto(AggregateBuilder.AggregatePartitionKey, Data, subRecords) || subRecords.Count != UserRecordCount)
                {
                    throw new InvalidOperationException(
                        $"A sealed aggregate of {UserRecordCount} records decoded into {subRecords.Count}; its runs' data cannot be restored.");
                }
            }

            record.RestoreData(subRecords, sub);
        }
    }

    /// <summary>
    /// Fails every user record inside for good (each one's data handed back to its caller, runs' data restored from
    /// the aggregate first), then releases <see cref="Data"/>.
    /// </summary>
    public void FailRecords(string code, string message) => FailRecords(code, static (_, _, text) => text, message);

    /// <summary>As <see cref="FailRecords(string, string)"/>, with a message made for each user record (and its attempts).</summary>
    public void FailRecords<TState>(string code, Func<UserRecord, List<Attempt>, TState, string> message, TState state)
    {
        TakeUnobservedBack();
        RestoreRunData();
        foreach (var record in Records)
        {
            record.TryFail(code, message(record, Attempts, state), Attempts);
        }

        ReleaseData();
    }

    /// <summary>
    /// Takes the user records out unsent, to be routed again, into <paramref name="into"/>: each keeps this Kinesis
    /// record's attempts as earlier ones, runs get their data back; then <see cref="Data"/> is released.
    /// </summary>
    public void TakeRecordsBack(List<UserRecord> into)
    {
        TakeUnobservedBack();
        RestoreRunData();
        foreach (var record in Records)
        {
            record.Leave(Attempts);
        }

        into.AddRange(Records);
        ReleaseData();
    }

    /// <summary>
    /// Whether <see cref="Data"/> is an aggregate sealed without its MD5 trailer (<see cref="AggregateBuilder.WriteUndigested"/>):
    /// the sender digests a request's aggregates together (<see cref="CompleteDigests"/>) before their bytes are read.
    /// </summary>
    public bool DigestPending
    {
        get => _digestPending;
        init => _digestPending = value;
    }

    private bool _digestPending;

    /// <summary>Writes the MD5 trailers of the aggregates among <paramref name="items"/> that lack one, all at once.</summary>
    public static void CompleteDigests(List<KinesisRecordItem> items)
    {
        var pending = 0;
        foreach (var item in items)
        {
            pending += item._digestPending ? 1 : 0;
        }

        if (pending == 0)
        {
            return;
        }

        var aggregates = ArrayPool<Memory<byte>>.Shared.Rent(pending);
        var n = 0;
        foreach (var item in items)
        {
            if (item._digestPending)
            {
                // Data is this record's own pooled array (see the constructor's rentedBuffer).
                aggregates[n++] = MemoryMarshal.AsMemory(item.Data);
                item._digestPending = false;
            }
        }

        AggregateDigests.Complete(aggregates.AsSpan(0, n));
        ArrayPool<Memory<byte>>.Shared.Return(aggregates, clearArray: true);
    }

    /// <summary>Writes this aggregate's MD5 trailer if it lacks one (before its bytes are decoded unsent).</summary>
    public void EnsureDigest()
    {
        if (_digestPending)
        {
            AggregateDigests.Complete([MemoryMarshal.AsMemory(Data)]);
            _digestPending = false;
        }
    }

    /// <summary>The attempts to send this Kinesis record, shared by the user records inside (they do not point at it; see <see cref="UserRecord.AttemptsWith"/>).</summary>
    public List<Attempt> Attempts { get; } = new(1);

    public string PredictedShardId { get; }

    public string PartitionKey { get; }

    public string? ExplicitHashKey { get; }

    public ReadOnlyMemory<byte> Data { get; private set; }

    /// <summary>Whether <see cref="Data"/> is an (unencrypted) record envelope written by compression, not the data as it is.</summary>
    public bool IsEnvelope { get; init; }

    /// <summary>Whether <see cref="Data"/> has been encrypted (once, before its first attempt; retries send the same bytes).</summary>
    public bool IsEncrypted { get; private set; }

    /// <summary>Replaces <see cref="Data"/> by its encrypted envelope, held in a pooled array that is now this record's.</summary>
    public void SetEncrypted(byte[] rented, int length)
    {
        var previous = Interlocked.Exchange(ref _rented, rented);
        Data = rented.AsMemory(0, length);
        IsEncrypted = true;
        if (previous is not null)
        {
            AggregateBuffers.Return(previous);
        }
    }

    /// <summary>
    /// The user records inside carried one by one, in sub-sequence order: all of them, unless some are kept only as
    /// a count (see <see cref="TakeUnobservedBack"/> and <see cref="PositionOf"/>).
    /// </summary>
    public UserRecord[] Records { get; private set; }

    /// <summary>
    /// The index in the aggregate of <see cref="Records"/>[<paramref name="index"/>]'s first sub-record, given
    /// <paramref name="consecutive"/>, the sum of the counts of the records before it (the index when none is kept only as a count).
    /// </summary>
    public int PositionOf(int index, int consecutive) => _positions is { } positions ? positions[index] : consecutive;

    /// <summary>The records kept only as a count (see <see cref="UnobservedRecords"/>); <see langword="null"/> when none.</summary>
    public UnobservedRecords? Unobserved => _unobserved;

    /// <summary>
    /// Completes the records kept only as a count as stored, once (their buffer room and flush epochs given back);
    /// does nothing when there are none or they were completed already.
    /// </summary>
    public void StoreUnobserved()
    {
        if (_unobserved is { } unobserved && unobserved.TryTake())
        {
            unobserved.Release();
        }
    }

    /// <summary>
    /// Turns the records kept only as a count back into user records, decoded from the aggregate, each in its place
    /// among <see cref="Records"/>: before records leave this Kinesis record unsent, fail, or must be checked one by
    /// one. A record decoded so takes the earliest acceptance time inside (so the same deadline it had here) and its
    /// own flush epoch. Call it before <see cref="ReleaseData"/>; does nothing when there are none or they were
    /// completed already.
    /// </summary>
    public void TakeUnobservedBack()
    {
        var unobserved = _unobserved;
        if (unobserved is null || !unobserved.TryTake())
        {
            return;
        }

        if (IsEnvelope || IsEncrypted || Volatile.Read(ref _rented) is null)
        {
            throw new InvalidOperationException("Records kept only as a count need their plain aggregate to be taken back, and it is gone.");
        }

        EnsureDigest();
        var subRecords = new List<DeaggregatedRecord>(UserRecordCount);
        if (!Deaggregator.DeaggregateInto(AggregateBuilder.AggregatePartitionKey, Data, subRecords) || subRecords.Count != UserRecordCount)
        {
            throw new InvalidOperationException($"A sealed aggregate of {UserRecordCount} records decoded into {subRecords.Count}; its records cannot be taken back.");
        }

        var carried = Records;
        var positions = _positions!;
        var records = new UserRecord[carried.Length + unobserved.Count];
        int next = 0, counted = 0, n = 0;
        for (var sub = 0; sub < subRecords.Count;)
        {
            if (next < carried.Length && positions[next] == sub)
            {
                records[n++] = carried[next];
                sub += carried[next++].Count;
                continue;
            }

            var decoded = subRecords[sub++];
            var size = decoded.Data.Length + System.Text.Encoding.UTF8.GetByteCount(decoded.PartitionKey);
            records[n++] = new UserRecord(
                Stream, decoded.PartitionKey, decoded.ExplicitHashKey, decoded.Data.Span, size, _firstAccepted, unobserved.EpochOf(counted++), awaited: false);
        }

        if (n != records.Length || counted != unobserved.Count)
        {
            throw new InvalidOperationException($"A sealed aggregate's {subRecords.Count} records did not match the {carried.Length} carried and {unobserved.Count} counted.");
        }

        Records = records;
        _positions = null;
        _unobserved = null;
    }

    /// <summary>Whether <see cref="Data"/> is a KPL aggregate (more than one user record, counting each record of a run).</summary>
    public bool IsAggregated => UserRecordCount > 1;

    /// <summary>The user records inside, each record of a run counted (the KPL's UserRecordsPut counts these).</summary>
    public int UserRecordCount { get; }

    /// <summary>The user records' data bytes (the KPL's UserRecordsDataPut counts these).</summary>
    public long UserDataBytes { get; }

    /// <summary>Data plus partition key bytes, as PutRecords counts them.</summary>
    public int Size { get; }

    /// <summary>When its oldest user record has waited RecordMaxBufferedTime: it must be sent by then.</summary>
    public long DueAt { get; }

    /// <summary>The earliest deadline of its user records; past it, the whole Kinesis record expires.</summary>
    public long Deadline { get; }

    /// <summary>
    /// When the current wait (buffering since its first record was accepted, then each backoff) began; the next
    /// attempt's Delay is measured from it. Kept here, once per Kinesis record, rather than in every user record.
    /// </summary>
    public long WaitingSince { get; set; }
}
