using System.Buffers;
using Kinesis.Clients.Wire;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>Standalone PutRecord and PutRecords: the hot path of benchmarks, so nothing is kept but counters.</summary>
internal sealed partial class StandaloneHandler
{
    private const int MaxEntries = 500;
    private const int MaxRequestBytes = 5 * 1024 * 1024;
    private const int MaxDataBytes = 1024 * 1024;

    private Task PutRecordsAsync(ProxyExchange exchange, WireValue request)
    {
        if (!TryFindStream(exchange, request, out var stream, out var refusal))
        {
            return refusal;
        }

        var items = request["Records"].Items;
        if (items.Count is 0 or > MaxEntries)
        {
            return Validation(exchange, $"1 validation error detected: Value at 'records' failed to satisfy constraint: Member must have length between 1 and {MaxEntries}; got {items.Count}.");
        }

        var entries = ArrayPool<PutEntry>.Shared.Rent(items.Count);
        var sequences = ArrayPool<string?>.Shared.Rent(items.Count);
        try
        {
            var count = items.Count;
            long total = 0;
            for (var i = 0; i < count; i++)
            {
                if (!TryRoute(items[i], stream, out entries[i]))
                {
                    return Invalid(exchange, $"Record {i} has no partition key or an explicit hash key outside [0, 2^128 - 1].");
                }

                if (entries[i].DataBytes > MaxDataBytes)
                {
                    return Validation(exchange, $"1 validation error detected: Value at 'records.{i + 1}.member.data' failed to satisfy constraint: Member must have length less than or equal to {MaxDataBytes}.");
                }

                total += entries[i].Bytes;
            }

            if (total > MaxRequestBytes)
            {
                return Invalid(exchange, $"Records size exceeds 5 MB limit: {total} bytes of data and partition keys.");
            }

            var (throttled, failed) = PutEntry.Admit(entries.AsSpan(0, count), _faults);
            _counters.PutRecords(throttled);
            _counters.InjectedEntryFailures(failed);
            for (var i = 0; i < count; i++)
            {
                sequences[i] = entries[i].Outcome == EntryOutcome.Admitted ? Accept(stream, entries[i]) : null;
            }

            var reply = (Entries: new ArraySegment<PutEntry>(entries, 0, count), Sequences: sequences, Refused: throttled + failed);
            return ProxyReplies.WriteAsync(exchange, StatusCodes.Status200OK, reply, static (w, s) =>
            {
                w.WriteStartObject(2);
                w.WritePropertyName("FailedRecordCount");
                w.WriteInt64(s.Refused);
                w.WritePropertyName("Records");
                w.WriteStartArray(s.Entries.Count);
                for (var i = 0; i < s.Entries.Count; i++)
                {
                    var entry = s.Entries[i];
                    if (entry.Outcome == EntryOutcome.Admitted)
                    {
                        WriteAccepted(w, entry, s.Sequences[i]!, 2);
                        w.WriteEndObject();
                    }
                    else
                    {
                        entry.WriteRefusal(w);
                    }
                }

                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        finally
        {
            // The reply is fully encoded before WriteAsync yields, so the arrays can go back now.
            ArrayPool<PutEntry>.Shared.Return(entries, clearArray: true);
            ArrayPool<string?>.Shared.Return(sequences, clearArray: true);
        }
    }

    private Task PutRecordAsync(ProxyExchange exchange, WireValue request)
    {
        if (!TryFindStream(exchange, request, out var stream, out var refusal))
        {
            return refusal;
        }

        if (!TryRoute(request, stream, out var entry))
        {
            return Invalid(exchange, "The record has no partition key or an explicit hash key outside [0, 2^128 - 1].");
        }

        if (entry.DataBytes > MaxDataBytes)
        {
            return Validation(exchange, $"1 validation error detected: Value at 'data' failed to satisfy constraint: Member must have length less than or equal to {MaxDataBytes}.");
        }

        if (!entry.Shard!.TryAdmitWrite(entry.Bytes))
        {
            _counters.ThrottledPutRecord();
            return ProxyReplies.ThrottledAsync(exchange, entry.Shard);
        }

        var sequence = Accept(stream, entry);
        return ProxyReplies.WriteAsync(exchange, StatusCodes.Status200OK, (entry, sequence), static (w, s) =>
        {
            WriteAccepted(w, s.entry, s.sequence, 3);
            w.WritePropertyName("EncryptionType");
            w.WriteString("NONE");
            w.WriteEndObject();
        });
    }

    private static bool TryRoute(WireValue value, StandaloneStream stream, out PutEntry entry)
    {
        if (!PutEntry.TryRead(value, out entry))
        {
            return false;
        }

        entry.ShardIndex = stream.Find(entry.HashKey);
        entry.Shard = stream.Shards[entry.ShardIndex];
        return true;
    }

    private string Accept(StandaloneStream stream, in PutEntry entry)
    {
        var shard = entry.Shard!;
        var sequence = StandaloneStream.SequenceNumber(entry.ShardIndex, shard.NextSequence());
        shard.CountAccepted(entry.Bytes, entry.DataBytes);
        _onAccepted?.Invoke(stream.Name, shard.ShardId, entry.PartitionKey, entry.ExplicitHashKey, entry.Value["Data"].AsBlob(), sequence);
        return sequence;
    }

    /// <summary>Opens a result object and writes its SequenceNumber and ShardId; the caller closes it.</summary>
    private static void WriteAccepted(IWireWriter w, in PutEntry entry, string sequence, int properties)
    {
        w.WriteStartObject(properties);
        w.WritePropertyName("SequenceNumber");
        w.WriteString(sequence);
        w.WritePropertyName("ShardId");
        w.WriteString(entry.Shard!.ShardId);
    }

    private static Task Validation(ProxyExchange exchange, string message) =>
        ProxyReplies.ErrorAsync(exchange, StatusCodes.Status400BadRequest, "ValidationException", message);
}
