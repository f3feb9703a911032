using System.Diagnostics;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Encryption;

namespace Kinesis.Clients.Producer.Load;

/// <summary>
/// The consumer's side of the compression and encryption modes: Kinesis records as the producer makes them, opened
/// (decrypted, decompressed) and deaggregated on this thread, in CPU seconds per million user records.
/// </summary>
internal static class DecodeTiming
{
    /// <summary>Measured passes over the records (after one unmeasured pass).</summary>
    public const int Rounds = 5;

    // What one GetRecords page holds at most: a consumer prepares the data keys of a page at a time.
    private const int PageRecords = 10_000;
    private const int PageBytes = 10 * 1024 * 1024;

    /// <summary>
    /// Aggregates of <paramref name="lines"/> filled to the size the producer's wire ratio implies (with compression
    /// the producer fills them by compressed size), each compressed as <paramref name="setting"/> says.
    /// </summary>
    public static List<byte[]> Aggregates(byte[][] lines, string[] keys, RecordCompression setting, double wireRatio)
    {
        var rawTarget = setting.IsEnabled ? (int)Math.Clamp(51_200 * 0.9 / wireRatio, 51_200, 1024 * 1024) : 51_200;
        var records = new List<byte[]>();
        using var builder = new AggregateBuilder(rawTarget);
        for (var i = 0; i < lines.Length; i++)
        {
            if (!builder.TryAdd(keys[i % keys.Length], null, lines[i]))
            {
                records.Add(Seal(builder, setting));
                builder.Reset();
                builder.TryAdd(keys[i % keys.Length], null, lines[i]);
            }
        }

        records.Add(Seal(builder, setting));
        return records;
    }

    /// <summary>
    /// CPU seconds per million user records to open and deaggregate <paramref name="records"/>, after one unmeasured
    /// pass (the JIT, the thread's zstd context, and the data keys: the only KMS calls). With a decryptor, each page's
    /// keys are looked up first, as the consumer does (<see cref="RecordDecryptor.PrepareAsync"/>).
    /// </summary>
    /// <param name="records">The Kinesis records' data.</param>
    /// <param name="decryptor">Opens encrypted envelopes; <see langword="null"/> when none is encrypted.</param>
    /// <param name="userRecords">The user records they hold: a pass that finds another count, or a record that does not open, is an error.</param>
    public static async Task<double> CpuPerMillionAsync(IReadOnlyList<byte[]> records, RecordDecryptor? decryptor, int userRecords)
    {
        var pages = Pages(records);
        var subRecords = new List<DeaggregatedRecord>();
        var found = 0;
        foreach (var page in pages)
        {
            if (decryptor is not null)
            {
                await decryptor.PrepareAsync(page);
            }

            foreach (var record in page)
            {
                subRecords.Clear();
                Deaggregator.DeaggregateInto("a", record, subRecords, decryptor, out var envelope, out var problem);
                if (envelope is not (RecordDecodeStatus.Decoded or RecordDecodeStatus.NotEnveloped))
                {
                    throw new InvalidOperationException($"A record did not open ({envelope}): {problem}");
                }

                found += subRecords.Count;
            }
        }

        if (found != userRecords)
        {
            throw new InvalidOperationException($"Decoding found {found} user records; {userRecords} were aggregated.");
        }

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var decoded = 0L;
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var page in pages)
            {
                if (decryptor is not null)
                {
                    await decryptor.PrepareAsync(page);
                }

                foreach (var record in page)
                {
                    subRecords.Clear();
                    Deaggregator.DeaggregateInto("a", record, subRecords, decryptor, out _, out _);
                    decoded += subRecords.Count;
                }
            }
        }

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        return cpu / (decoded / 1e6);
    }

    private static List<ReadOnlyMemory<byte>[]> Pages(IReadOnlyList<byte[]> records)
    {
        var pages = new List<ReadOnlyMemory<byte>[]>();
        var page = new List<ReadOnlyMemory<byte>>();
        var bytes = 0L;
        foreach (var record in records)
        {
            if (page.Count > 0 && (page.Count == PageRecords || bytes + record.Length > PageBytes))
            {
                pages.Add([.. page]);
                page.Clear();
                bytes = 0;
            }

            page.Add(record);
            bytes += record.Length;
        }

        if (page.Count > 0)
        {
            pages.Add([.. page]);
        }

        return pages;
    }

    private static byte[] Seal(AggregateBuilder builder, RecordCompression setting) =>
        setting.IsEnabled ? RecordCodec.Encode(builder.ToArray(), setting) : builder.ToArray();
}
