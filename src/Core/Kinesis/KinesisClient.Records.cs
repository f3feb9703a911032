using System.Text;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Records;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

public sealed partial class KinesisClient
{
    /// <summary>The most entries one PutRecords call may carry.</summary>
    public const int MaxPutRecordsCount = 500;

    /// <summary>The most bytes (data plus partition keys) one PutRecords call may carry: 5 MiB.</summary>
    public const int MaxPutRecordsBytes = 5 * 1024 * 1024;

    /// <summary>The most records one GetRecords call may return.</summary>
    public const int MaxGetRecordsLimit = 10_000;

    /// <summary>Puts one record.</summary>
    /// <param name="request">The stream, key and data.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<PutRecordResponse> PutRecordAsync(PutRecordRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequireStream(request.StreamName, request.StreamArn, nameof(request));
        ValidateEntry(request.PartitionKey, request.Data, request.ExplicitHashKey, "request");
        return await SendAsync(
            "PutRecord",
            request,
            static (w, r) => KinesisRequestWriters.PutRecord(w, r),
            reply => new PutRecordResponse(
            reply.RequiredString("ShardId"),
            reply.RequiredString("SequenceNumber"),
            reply["EncryptionType"].AsString()),
            StreamContext(request.StreamName, request.StreamArn),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts up to 500 records (5 MiB) in one call. The call succeeds even when some entries fail:
    /// check <see cref="PutRecordsResponse.FailedRecordCount"/> and each entry's result.
    /// </summary>
    /// <remarks>
    /// With <see cref="WireProtocol.Cbor"/> (the default), an entry's <see cref="PutRecordsEntry.Data"/> of 4 KiB or
    /// more is sent straight from the caller's memory, not copied into the request body: the bytes are read when the
    /// request is signed and again as it is written to the connection. The caller must leave that memory unchanged
    /// (not write to it, not return it to a pool) until the returned task has completed, also when it fails or is
    /// cancelled; changed meanwhile, the request is refused for a bad signature or stores the changed bytes.
    /// Shorter data, and all data with <see cref="WireProtocol.Json"/>, is copied before the first wait.
    /// </remarks>
    /// <param name="streamName">The stream.</param>
    /// <param name="records">
    /// 1 to 500 entries, at most 5 MiB of data and partition keys together; data of 4 KiB or more must stay unchanged
    /// until the call completes (see remarks).
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<PutRecordsResponse> PutRecordsAsync(
        string streamName,
        IReadOnlyList<PutRecordsEntry> records,
        CancellationToken cancellationToken = default) =>
        PutRecordsAsync(streamName, null, records, cancellationToken);

    /// <summary>Puts up to 500 records in one call, naming the stream by name or by ARN.</summary>
    /// <remarks>
    /// As <see cref="PutRecordsAsync(string, IReadOnlyList{PutRecordsEntry}, CancellationToken)"/>: with CBOR, data of
    /// 4 KiB or more is sent straight from the caller's memory, which must stay unchanged until the returned task has
    /// completed (also when it fails or is cancelled).
    /// </remarks>
    /// <param name="streamName">The stream name (or give <paramref name="streamArn"/>).</param>
    /// <param name="streamArn">The stream ARN, instead of the name.</param>
    /// <param name="records">
    /// 1 to 500 entries, at most 5 MiB of data and partition keys together; data of 4 KiB or more must stay unchanged
    /// until the call completes.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<PutRecordsResponse> PutRecordsAsync(
        string? streamName,
        string? streamArn,
        IReadOnlyList<PutRecordsEntry> records,
        CancellationToken cancellationToken = default)
    {
        RequireStream(streamName, streamArn, nameof(streamName));
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count is 0 or > MaxPutRecordsCount)
        {
            throw new ArgumentException(
                $"PutRecords takes 1 to {MaxPutRecordsCount} records; got {records.Count}.", nameof(records));
        }

        long total = 0;
        long copied = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var entry = records[i];
            total += ValidateEntry(entry.PartitionKey, entry.Data, entry.ExplicitHashKey, $"records[{i}]");
            if (entry.Data.Length < GatherBufferWriter.MinBorrowLength)
            {
                copied += entry.Data.Length;
            }
        }

        if (total > MaxPutRecordsBytes)
        {
            throw new ArgumentException(
                $"PutRecords takes at most {MaxPutRecordsBytes} bytes (5 MiB) of data and partition keys; got {total}.",
                nameof(records));
        }

        return await SendAsync(
            "PutRecords",
            (streamName, streamArn, records),
            static (w, s) => KinesisRequestWriters.PutRecords(w, s.streamName, s.streamArn, s.records),
            reply => KinesisReplies.PutRecords(reply, records.Count),
            $"{StreamContext(streamName, streamArn)}, {records.Count} records, {total} bytes",
            cancellationToken,
            sizeHint: PutRecordsBodySize(Protocol == WireProtocol.Cbor ? copied : total, records.Count),
            borrowBlobs: true).ConfigureAwait(false);
    }

    // CBOR carries the data as byte strings, JSON as base64 (4/3): the body array is rented once at this size. In CBOR,
    // data of at least GatherBufferWriter.MinBorrowLength bytes is sent from the caller's memory, not copied into the
    // body, so only the shorter data counts. 128 bytes per entry cover its member names and an explicit hash key
    // (39 digits), which the data size does not count.
    private int PutRecordsBodySize(long bodyDataBytes, int count) =>
        (int)Math.Min(int.MaxValue, (Protocol == WireProtocol.Cbor ? bodyDataBytes : bodyDataBytes * 4 / 3) + (count * 128) + 256);

    /// <summary>Reads records from a shard iterator.</summary>
    /// <param name="shardIterator">From GetShardIterator or the previous call's NextShardIterator.</param>
    /// <param name="limit">At most this many records, 1 to 10,000 (the service default is 10,000).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<GetRecordsResponse> GetRecordsAsync(string shardIterator, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(shardIterator);
        if (limit is < 1 or > MaxGetRecordsLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"GetRecords limit must be between 1 and {MaxGetRecordsLimit}.");
        }

        return await SendAsync(
            "GetRecords",
            (shardIterator, limit),
            static (w, s) =>
            {
                w.WriteStartObject(s.limit is null ? 1 : 2);
                w.WritePropertyName("ShardIterator");
                w.WriteString(s.shardIterator);
                if (s.limit is int l)
                {
                    w.WritePropertyName("Limit");
                    w.WriteInt64(l);
                }

                w.WriteEndObject();
            },
            reply => KinesisReplies.GetRecords(reply),
            "get records",
            cancellationToken).ConfigureAwait(false);
    }

    /// <returns>The bytes the entry counts against the request size limit.</returns>
    private int ValidateEntry(string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, string name)
    {
        RecordValidation.ValidatePartitionKey(partitionKey, name + ".PartitionKey");
        if (explicitHashKey is not null)
        {
            RecordValidation.ValidateExplicitHashKey(explicitHashKey, name + ".ExplicitHashKey");
        }

        var size = Encoding.UTF8.GetByteCount(partitionKey) + data.Length;
        RecordValidation.ValidateRecordSize(partitionKey, data.Length, Options.MaxRecordSizeBytes, name + ".Data");
        return size;
    }
}
