using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Encryption;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>
/// Turns a page of Kinesis records into the user records a processor receives: KPL aggregates are split into
/// their sub-records with sub-sequence numbers, anything else passes through as one record.
/// </summary>
/// <remarks>
/// <para>
/// A record compressed by this suite's producer (a <see cref="RecordCodec"/> envelope) is opened first, so the
/// processor sees the original user records with the same sub-sequence numbers. An envelope that does not open is
/// delivered as it is, one record, and counted as undecodable, with <see cref="ConsumerRecord.DecodeFailure"/> saying
/// why. An encrypted record (a data key from KMS, through <see cref="RecordDecryptionSource"/>) is decrypted the same
/// way; one that does not decrypt is delivered empty with its reason, never as ciphertext posing as data.
/// </para>
/// <para>
/// A sub-record whose hash key (its explicit hash key, else the MD5 of its partition key) lies outside the shard's
/// range is delivered all the same and counted. Such a record was aggregated by a producer with a stale shard map;
/// the KCL drops the whole aggregate, losing records that Kinesis accepted. An explicit hash key that does not
/// parse counts as outside. Plain records are never checked: Kinesis placed them itself, by an explicit hash key
/// GetRecords does not return.
/// </para>
/// <para>
/// User records at or before a given position are left out, so a reader that resumes inside a partly processed
/// aggregate delivers exactly the sub-records after the checkpoint.
/// </para>
/// </remarks>
internal static class RecordDeaggregation
{
    /// <summary>De-aggregates <paramref name="records"/> and appends the user records to <paramref name="destination"/>.</summary>
    /// <param name="records">One page of Kinesis records, in shard order.</param>
    /// <param name="shardHashKeyRange">The shard's hash key range; <see langword="null"/> to check nothing.</param>
    /// <param name="skipThrough">Leave out user records at or before this position; <see langword="null"/> to keep all.</param>
    /// <param name="destination">Receives the user records in order.</param>
    /// <param name="decryptor">The data keys of the page's encrypted records, already prepared; <see langword="null"/> when there are none or decryption is off.</param>
    /// <returns>The counts.</returns>
    public static DeaggregationCounts AppendTo(
        IReadOnlyList<KinesisRecord> records,
        HashKeyRange? shardHashKeyRange,
        RecordPosition? skipThrough,
        List<ConsumerRecord> destination,
        RecordDecryptor? decryptor = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(destination);

        var subRecords = new List<DeaggregatedRecord>();
        int delivered = 0, skipped = 0, outOfRange = 0, undecodable = 0;
        long bytes = 0, lastSubSequenceNumber = 0;
        foreach (var record in records)
        {
            bytes += record.Data.Length;
            subRecords.Clear();
            var aggregated = Deaggregator.DeaggregateInto(record.PartitionKey, record.Data, subRecords, decryptor, out var envelope, out var problem);
            var failure = envelope is RecordDecodeStatus.Corrupt or RecordDecodeStatus.Unsupported or RecordDecodeStatus.DecryptionFailed
                ? problem
                : null;
            if (failure is not null)
            {
                undecodable++;
            }

            lastSubSequenceNumber = subRecords[^1].SubSequenceNumber;
            var skipUpTo = SkipUpTo(record.SequenceNumber, skipThrough);
            var arrival = record.ApproximateArrivalTimestamp ?? default;
            foreach (var sub in subRecords)
            {
                if (sub.SubSequenceNumber <= skipUpTo)
                {
                    skipped++;
                    continue;
                }

                if (aggregated && shardHashKeyRange is { } range && !Belongs(sub, range))
                {
                    outOfRange++;
                }

                destination.Add(new ConsumerRecord(
                    record.SequenceNumber,
                    sub.SubSequenceNumber,
                    sub.PartitionKey,
                    sub.ExplicitHashKey,
                    arrival,
                    sub.Data,
                    aggregated)
                { DecodeFailure = failure });
                delivered++;
            }
        }

        return new DeaggregationCounts(delivered, skipped, outOfRange, bytes, lastSubSequenceNumber, undecodable);
    }

    /// <summary>Whether a user record's hash key lies in a range.</summary>
    /// <param name="record">The user record.</param>
    /// <param name="range">The shard's range.</param>
    /// <returns><see langword="false"/> when outside, or when its explicit hash key does not parse.</returns>
    public static bool Belongs(in DeaggregatedRecord record, HashKeyRange range)
    {
        HashKey key;
        if (record.ExplicitHashKey is { } explicitHashKey)
        {
            if (!HashKey.TryParse(explicitHashKey, out key))
            {
                return false;
            }
        }
        else
        {
            key = HashKey.FromPartitionKey(record.PartitionKey);
        }

        return range.Contains(key);
    }

    // The highest sub-sequence number of this Kinesis record to leave out: -1 keeps all of it.
    private static long SkipUpTo(string sequenceNumber, RecordPosition? skipThrough)
    {
        if (skipThrough is not { } skip)
        {
            return -1;
        }

        var order = RecordPosition.CompareSequenceNumbers(sequenceNumber, skip.SequenceNumber);
        return order < 0 ? long.MaxValue : order == 0 ? skip.SubSequenceNumber : -1;
    }
}
