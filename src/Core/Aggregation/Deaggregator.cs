using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Kinesis.Clients.Encryption;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// Recovers the user records of a Kinesis record written in the KPL aggregation format, and passes any other
/// record through untouched.
/// </summary>
/// <remarks>
/// <para>
/// A record in this suite's envelope (<see cref="RecordCodec"/>: compressed by the producer) is opened first and
/// its original bytes deaggregated as below, so user records and sub-sequence numbers are the same as without
/// compression. An envelope that does not open is passed through as it is, never thrown on.
/// </para>
/// <para>
/// A record counts as an aggregate only if it starts with the magic <c>F3 89 9A C2</c>, more than 16 bytes follow
/// it, the last 16 bytes are the MD5 of the bytes between, and those bytes parse as an <c>AggregatedRecord</c>
/// holding at least one record, every record with its required partition key index and data, and every index
/// inside its table. Anything else is an ordinary record and comes back as one user record with sub-sequence
/// number 0 and the Kinesis record's own partition key. An aggregate with no records is passed through too, so
/// every Kinesis record yields at least one user record and stays checkpointable.
/// </para>
/// <para>
/// The decision is made on the whole record before anything is returned: malformed input never throws and never
/// yields part of an aggregate. Fields this format does not define, and the records' tags, are skipped, so
/// aggregates from newer writers still decode.
/// </para>
/// </remarks>
public static class Deaggregator
{
    /// <summary>Whether data is a well-formed KPL aggregate that would be split into user records.</summary>
    /// <param name="data">A Kinesis record's data.</param>
    /// <returns><see langword="true"/> if <paramref name="data"/> is an aggregate.</returns>
    public static bool IsAggregated(ReadOnlySpan<byte> data) =>
        TryGetBody(data, checkDigest: true, out var body) && TryScan(body, out _, out _, out _);

    /// <summary>Splits a Kinesis record into its user records.</summary>
    /// <param name="partitionKey">The Kinesis record's partition key, used when it is not an aggregate.</param>
    /// <param name="data">The Kinesis record's data; returned records slice it rather than copy it.</param>
    /// <returns>The user records, at least one, in sub-sequence order.</returns>
    public static IReadOnlyList<DeaggregatedRecord> Deaggregate(string partitionKey, ReadOnlyMemory<byte> data)
    {
        var records = new List<DeaggregatedRecord>();
        DeaggregateInto(partitionKey, data, records);
        return records;
    }

    /// <summary>Splits a Kinesis record into its user records, appending them to a collection.</summary>
    /// <param name="partitionKey">The Kinesis record's partition key, used when it is not an aggregate.</param>
    /// <param name="data">The Kinesis record's data; appended records slice it rather than copy it.</param>
    /// <param name="destination">Receives the user records, at least one, in sub-sequence order.</param>
    /// <returns><see langword="true"/> if the record was an aggregate; <see langword="false"/> if passed through.</returns>
    public static bool DeaggregateInto(
        string partitionKey,
        ReadOnlyMemory<byte> data,
        ICollection<DeaggregatedRecord> destination) =>
        DeaggregateInto(partitionKey, data, destination, out _);

    /// <summary>
    /// Opens a record envelope (<see cref="RecordCodec"/>) if there is one, then splits what it held (or the data
    /// itself) into user records, appending them to a collection.
    /// </summary>
    /// <param name="partitionKey">The Kinesis record's partition key, used when it is not an aggregate.</param>
    /// <param name="data">The Kinesis record's data; appended records slice it (or its decoded payload) rather than copy it.</param>
    /// <param name="destination">Receives the user records, at least one, in sub-sequence order.</param>
    /// <param name="envelope">
    /// Whether the data was an envelope and what came of opening it. An envelope that cannot be opened
    /// (<see cref="RecordDecodeStatus.Corrupt"/>, <see cref="RecordDecodeStatus.Unsupported"/>) is passed through
    /// as one user record holding the data as it is.
    /// </param>
    /// <returns><see langword="true"/> if the (decoded) record was an aggregate; <see langword="false"/> if passed through.</returns>
    public static bool DeaggregateInto(
        string partitionKey,
        ReadOnlyMemory<byte> data,
        ICollection<DeaggregatedRecord> destination,
        out RecordDecodeStatus envelope) =>
        DeaggregateInto(partitionKey, data, destination, null, out envelope, out _);

    /// <summary>
    /// Opens a record envelope, encrypted ones too with the keys a <see cref="RecordDecryptor"/> holds (call its
    /// <see cref="RecordDecryptor.PrepareAsync"/> for the records first), then splits what it held into user
    /// records, appending them to a collection.
    /// </summary>
    /// <param name="partitionKey">The Kinesis record's partition key, used when it is not an aggregate.</param>
    /// <param name="data">The Kinesis record's data; appended records slice it (or its decoded payload) rather than copy it.</param>
    /// <param name="destination">Receives the user records, at least one, in sub-sequence order.</param>
    /// <param name="decryptor">The data keys; <see langword="null"/> leaves encrypted envelopes <see cref="RecordDecodeStatus.Unsupported"/>.</param>
    /// <param name="envelope">Whether the data was an envelope and what came of opening it.</param>
    /// <param name="problem">Why an envelope did not open; <see langword="null"/> when it did or there was none.</param>
    /// <returns><see langword="true"/> if the (decoded) record was an aggregate; <see langword="false"/> if passed through.</returns>
    /// <remarks>
    /// An envelope that cannot be opened becomes one user record: holding the data as it is when damaged or of an
    /// unknown kind, holding nothing when encrypted (ciphertext is never handed on as if it were data).
    /// </remarks>
    public static bool DeaggregateInto(
        string partitionKey,
        ReadOnlyMemory<byte> data,
        ICollection<DeaggregatedRecord> destination,
        RecordDecryptor? decryptor,
        out RecordDecodeStatus envelope,
        out string? problem)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(destination);

        envelope = RecordDecoder.Decode(data, decryptor, out var content, out problem);
        if (envelope == RecordDecodeStatus.Decoded)
        {
            data = content;
        }
        else if (envelope != RecordDecodeStatus.NotEnveloped)
        {
            var encrypted = data.Length > EnvelopeFormat.FlagsOffset && (data.Span[EnvelopeFormat.FlagsOffset] & EnvelopeFormat.EncryptedFlag) != 0;
            destination.Add(new DeaggregatedRecord(partitionKey, null, encrypted ? ReadOnlyMemory<byte>.Empty : data, 0, isAggregated: false));
            return false;
        }

        if (!TryGetBody(data.Span, checkDigest: true, out var body)
            || !TryScan(body, out var partitionKeyCount, out var explicitHashKeyCount, out var recordCount))
        {
            destination.Add(new DeaggregatedRecord(partitionKey, null, data, 0, isAggregated: false));
            return false;
        }

        var partitionKeys = ReadTable(body, AggregationFormat.PartitionKeyTableField, partitionKeyCount);
        var explicitHashKeys = ReadTable(body, AggregationFormat.ExplicitHashKeyTableField, explicitHashKeyCount);
        if (destination is List<DeaggregatedRecord> list)
        {
            list.EnsureCapacity(list.Count + recordCount);
        }

        var bodyMemory = data.Slice(AggregationFormat.MagicLength, body.Length);
        var reader = new ProtoReader(body);
        var subSequenceNumber = 0L;
        while (!reader.End)
        {
            var valid = reader.TryReadTag(out var field, out var wireType);
            if (field == AggregationFormat.RecordsField && wireType == ProtoReader.WireLengthDelimited)
            {
                valid &= reader.TryReadLengthDelimited(out var offset, out var length);
                valid &= TryReadRecord(body.Slice(offset, length), out var record);
                destination.Add(new DeaggregatedRecord(
                    partitionKeys[(int)record.PartitionKeyIndex],
                    record.HasExplicitHashKey ? explicitHashKeys[(int)record.ExplicitHashKeyIndex] : null,
                    bodyMemory.Slice(offset + record.DataOffset, record.DataLength),
                    subSequenceNumber++,
                    isAggregated: true));
            }
            else
            {
                valid &= reader.TrySkip(field, wireType);
            }

            Debug.Assert(valid, "The scan accepted this body, so every step of the second reading succeeds.");
        }

        return true;
    }

    /// <summary>
    /// The number of user records <see cref="Deaggregate"/> would yield, without building them: an aggregate's
    /// records, else 1.
    /// </summary>
    /// <param name="data">A Kinesis record's data.</param>
    /// <param name="checkDigest">
    /// Whether to check the aggregate's MD5; without it, a well-formed body with a wrong digest counts as its
    /// records (a load tool's sink counts this way, at the rate the measured program sends).
    /// </param>
    /// <remarks>A record envelope is opened first (its original bytes counted), as <see cref="DeaggregateInto(string, ReadOnlyMemory{byte}, ICollection{DeaggregatedRecord}, out RecordDecodeStatus)"/> does.</remarks>
    internal static int CountUserRecords(ReadOnlySpan<byte> data, bool checkDigest)
    {
        if (EnvelopeFormat.HasMagic(data))
        {
            return RecordDecoder.Decode(data.ToArray(), out var decoded, out _) == RecordDecodeStatus.Decoded
                ? CountUserRecords(decoded.Span, checkDigest)
                : 1;
        }

        return TryGetBody(data, checkDigest, out var body) && TryScan(body, out _, out _, out var records) ? records : 1;
    }

    [SuppressMessage("Security", "CA5351", Justification = "The KPL format checks its body with MD5; it is a checksum, not security.")]
    private static bool TryGetBody(ReadOnlySpan<byte> data, bool checkDigest, out ReadOnlySpan<byte> body)
    {
        body = default;
        if (data.Length <= AggregationFormat.Overhead || !data.StartsWith(AggregationFormat.Magic))
        {
            return false;
        }

        body = data[AggregationFormat.MagicLength..^AggregationFormat.DigestLength];
        if (!checkDigest)
        {
            return true;
        }

        Span<byte> digest = stackalloc byte[AggregationFormat.DigestLength];
        MD5.HashData(body, digest);
        return digest.SequenceEqual(data[^AggregationFormat.DigestLength..]);
    }

    // Checks the whole body before anything is decoded, so a bad aggregate is never half delivered.
    private static bool TryScan(ReadOnlySpan<byte> body, out int partitionKeyCount, out int explicitHashKeyCount, out int recordCount)
    {
        partitionKeyCount = explicitHashKeyCount = recordCount = 0;
        ulong maxPartitionKeyIndex = 0;
        ulong maxExplicitHashKeyIndex = 0;
        var anyExplicitHashKey = false;
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            if (field is not (AggregationFormat.PartitionKeyTableField or AggregationFormat.ExplicitHashKeyTableField
                    or AggregationFormat.RecordsField)
                || wireType != ProtoReader.WireLengthDelimited)
            {
                if (!reader.TrySkip(field, wireType))
                {
                    return false;
                }

                continue;
            }

            if (!reader.TryReadLengthDelimited(out var offset, out var length))
            {
                return false;
            }

            switch (field)
            {
                case AggregationFormat.PartitionKeyTableField:
                    partitionKeyCount++;
                    break;
                case AggregationFormat.ExplicitHashKeyTableField:
                    explicitHashKeyCount++;
                    break;
                default:
                    if (!TryReadRecord(body.Slice(offset, length), out var record))
                    {
                        return false;
                    }

                    recordCount++;
                    maxPartitionKeyIndex = Math.Max(maxPartitionKeyIndex, record.PartitionKeyIndex);
                    if (record.HasExplicitHashKey)
                    {
                        anyExplicitHashKey = true;
                        maxExplicitHashKeyIndex = Math.Max(maxExplicitHashKeyIndex, record.ExplicitHashKeyIndex);
                    }

                    break;
            }
        }

        return recordCount > 0
            && maxPartitionKeyIndex < (ulong)partitionKeyCount
            && (!anyExplicitHashKey || maxExplicitHashKeyIndex < (ulong)explicitHashKeyCount);
    }

    private static bool TryReadRecord(ReadOnlySpan<byte> bytes, out RecordFields record)
    {
        record = default;
        var hasPartitionKeyIndex = false;
        var hasData = false;
        var reader = new ProtoReader(bytes);
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType))
            {
                return false;
            }

            // A singular field seen twice keeps its last value, as in every protobuf parser.
            bool ok;
            if (field == AggregationFormat.PartitionKeyIndexField && wireType == ProtoReader.WireVarint)
            {
                ok = hasPartitionKeyIndex = reader.TryReadVarint(out record.PartitionKeyIndex);
            }
            else if (field == AggregationFormat.ExplicitHashKeyIndexField && wireType == ProtoReader.WireVarint)
            {
                ok = record.HasExplicitHashKey = reader.TryReadVarint(out record.ExplicitHashKeyIndex);
            }
            else if (field == AggregationFormat.DataField && wireType == ProtoReader.WireLengthDelimited)
            {
                ok = hasData = reader.TryReadLengthDelimited(out record.DataOffset, out record.DataLength);
            }
            else
            {
                ok = reader.TrySkip(field, wireType);
            }

            if (!ok)
            {
                return false;
            }
        }

        return hasPartitionKeyIndex && hasData;
    }

    private static string[] ReadTable(ReadOnlySpan<byte> body, int tableField, int count)
    {
        if (count == 0)
        {
            return [];
        }

        var table = new string[count];
        var next = 0;
        var reader = new ProtoReader(body);
        while (!reader.End)
        {
            var valid = reader.TryReadTag(out var field, out var wireType);
            if (field == tableField && wireType == ProtoReader.WireLengthDelimited)
            {
                valid &= reader.TryReadLengthDelimited(out var offset, out var length);
                table[next++] = Encoding.UTF8.GetString(body.Slice(offset, length));
            }
            else
            {
                valid &= reader.TrySkip(field, wireType);
            }

            Debug.Assert(valid, "The scan accepted this body, so every step of the second reading succeeds.");
        }

        return table;
    }

    private struct RecordFields
    {
        public ulong PartitionKeyIndex;
        public bool HasExplicitHashKey;
        public ulong ExplicitHashKeyIndex;
        public int DataOffset;
        public int DataLength;
    }
}
