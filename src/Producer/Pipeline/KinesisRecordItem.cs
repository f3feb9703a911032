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
        byte[]? rentedBuffer = null)
    {
        _rented = rentedBuffer;
        PredictedShardId = predictedShardId;
        PartitionKey = partitionKey;
        ExplicitHashKey = explicitHashKey;
        Data = data;
        Records = records;
        DueAt = dueAt;
        // With encryption the room its header will take is counted from the start, so requests and rate limits
        // planned now still hold once the record is encrypted at send time.
        Size = data.Length + System.Text.Encoding.UTF8.GetByteCount(partitionKey) + records[0].Stream.EncryptionReserve;
        UserDataBytes = userDataBytes;
        UserRecordCount = userRecordCount;

        // The caller summed the records as it added them, so sealing touches no user record (each one a likely
        // cache miss by then). Every record has the same TTL, so the earliest accepted expires first.
        Deadline = records[0].Stream.Producer.DeadlineOf(firstAccepted);
        WaitingSince = records[0].AcceptedAt;
    }

    /// <summary>A Kinesis record carrying one user record as it is.</summary>
    public static KinesisRecordItem Single(string predictedShardId, UserRecord record, long dueAt) =>
        new(predictedShardId, record.PartitionKey, record.ExplicitHashKey, record.Data, [record], dueAt, record.AcceptedAt, record.Data.Length, 1);

    private byte[]? _rented;

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
        for (int i = 0, sub = 0; i < Records.Length; sub += Records[i].Count, i++)
        {
            var record = Records[i];
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

    /// <summary>The user records inside, in sub-sequence order.</summary>
    public UserRecord[] Records { get; }

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

    public bool AllCompleted
    {
        get
        {
            foreach (var record in Records)
            {
                if (!record.IsCompleted)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
