using System.Globalization;
using Amazon.KeyManagementService;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Benchmarks.Load;
using Kinesis.Clients.Encryption;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Producer.Load;

/// <summary>
/// Client-side encryption on log-like data: for each kind of data, without compression and with zstd 3, the same
/// producer run unencrypted and encrypted (a KMS key on the testing kit's loopback KMS, through the real KMS client),
/// against the sink. Prints the bytes encryption adds, the KMS calls per GB (GenerateDataKey by the producer, Decrypt
/// by the reader), and CPU per million records: the producer's, and the reader's decrypt + decompress + deaggregate on
/// one thread.
/// </summary>
/// <remarks>
/// Each comparison runs unencrypted, encrypted, encrypted, unencrypted and takes the means, so a machine whose load
/// rises or falls during the pair does not show up as a difference between the two.
/// </remarks>
internal static class EncryptionRun
{
    private const string KeyAlias = "alias/kinesis-load";

    private static readonly RecordCompression[] Settings = [RecordCompression.None, RecordCompression.Zstd(3)];

    public static async Task<int> RunAsync(LoadArguments arguments)
    {
        using var sink = arguments.Endpoint is null ? SinkProcess.Start(arguments.Shards, arguments.Stream) : null;
        var endpoint = arguments.Endpoint ?? sink!.Endpoint;
        await using var kms = await LoopbackKms.StartAsync();
        using var kmsClient = kms.CreateClient(maxErrorRetry: 2);
        kms.CreateKey(KeyAlias);
        var encryption = new RecordEncryption(KeyAlias) { KmsClient = kmsClient };
        var failed = 0L;
        void OnFailed() => Interlocked.Increment(ref failed);

        // Unmeasured runs through every path (each setting, unencrypted and encrypted), so the first measured run of a
        // path does not carry its JIT (with one warm-up through zstd and encryption only, the first pair, without
        // compression, showed encryption 0.5-1.5 CPU-s/M cheaper than none).
        var warmUp = arguments with { Records = Math.Min(arguments.Records, 200_000) };
        var firstLines = CompressionData.Lines(CompressionData.Kinds[0], warmUp.Records);
        foreach (var setting in Settings)
        {
            foreach (var encrypting in new[] { null, encryption })
            {
                await SinkProduction.RunAsync(endpoint, warmUp, With(setting, encrypting), ["host-0000"], firstLines, OnFailed);
            }
        }

        var rows = new List<(string, string)>();
        foreach (var kind in CompressionData.Kinds)
        {
            var lines = CompressionData.Lines(kind, Math.Min(arguments.Records, 200_000));
            var keys = Enumerable.Range(0, arguments.Keys).Select(i => $"host-{i:D4}").ToArray();
            foreach (var setting in Settings)
            {
                var plain = await SinkProduction.RunAsync(endpoint, arguments, With(setting, null), keys, lines, OnFailed);
                var generatedBefore = kms.Count(KmsOperation.GenerateDataKey);
                var encrypted = await SinkProduction.RunAsync(endpoint, arguments, With(setting, encryption), keys, lines, OnFailed);
                encrypted = encrypted.With(await SinkProduction.RunAsync(endpoint, arguments, With(setting, encryption), keys, lines, OnFailed));
                var generated = kms.Count(KmsOperation.GenerateDataKey) - generatedBefore;
                plain = plain.With(await SinkProduction.RunAsync(endpoint, arguments, With(setting, null), keys, lines, OnFailed));

                // The reader's side, on the same aggregates both ways (as the unencrypted run filled them), so the
                // difference is decryption alone.
                var aggregates = DecodeTiming.Aggregates(lines, keys, setting, plain.WireBytes / (double)plain.UserBytes);
                var sealedRecords = await EncryptAsync(kmsClient, encryption, arguments.Stream, aggregates, setting);
                var plainDecode = await DecodeTiming.CpuPerMillionAsync(aggregates, decryptor: null, lines.Length);
                var reader = await DecodeEncryptedAsync(kms, kmsClient, sealedRecords, lines);
                reader = reader.With(await DecodeEncryptedAsync(kms, kmsClient, sealedRecords, lines));
                plainDecode = (plainDecode + await DecodeTiming.CpuPerMillionAsync(aggregates, decryptor: null, lines.Length)) / 2;

                var added = sealedRecords.Select((r, i) => r.Length - aggregates[i].Length).Average();
                rows.Add(($"{kind}, {setting}", Describe(plain, plainDecode)));
                rows.Add(($"{kind}, {setting}, encrypted", Describe(encrypted, reader.CpuPerMillion) + string.Create(CultureInfo.InvariantCulture,
                    $"; +{added:F0} B per Kinesis record (wire {(encrypted.WireBytes / (double)encrypted.UserBytes) / (plain.WireBytes / (double)plain.UserBytes) - 1,5:+0.0%;-0.0%;0.0%} per byte of data), "
                    + $"producer {encrypted.CpuPerMillion - plain.CpuPerMillion,5:+0.00;-0.00;0.00} CPU-s/M, decode {reader.CpuPerMillion - plainDecode,5:+0.00;-0.00;0.00} CPU-s/M")));
                rows.Add(($"{kind}, {setting}, KMS calls", KmsCalls(generated, encrypted, encryption.MaxDataKeyAge, reader)));
            }
        }

        rows.Insert(0, ("records per run / keys / shards", $"{arguments.Records:N0} / {arguments.Keys:N0} / {arguments.Shards}"));
        rows.Add(("failed records", Interlocked.Read(ref failed).ToString(CultureInfo.InvariantCulture)));
        Report.Print("Encryption: KMS calls per GB, bytes and CPU per million records (producer against the sink; decode on one thread)", rows);
        return Interlocked.Read(ref failed) == 0 ? 0 : 1;
    }

    private static Action<KinesisProducerOptions> With(RecordCompression compression, RecordEncryption? encryption) => options =>
    {
        options.Compression = compression;
        options.Encryption = encryption;
    };

    private static string Describe(ProductionFigures run, double decodeCpu) => string.Create(CultureInfo.InvariantCulture,
        $"wire {run.WireBytes / 1e6,7:F1} MB ({run.WireBytes / (double)run.UserBytes * 1e9 / (1024 * 1024),5:F0} shard-s per GB of data, {run.UserBytes / (double)Math.Max(1, run.KinesisRecords) / 1024,4:F0} KiB user data per Kinesis record), "
        + $"producer {run.CpuPerMillion,5:F2} CPU-s/M, decode {decodeCpu,5:F2} CPU-s/M");

    // Calls counted over the producers' lives (their settling rounds too) and over every decode pass. A data key lives
    // MaxDataKeyAge, so at a steady rate the calls per GB are one per (rate x age) of data.
    private static string KmsCalls(int generated, ProductionFigures runs, TimeSpan keyAge, ReaderFigures reader)
    {
        var gigabytes = runs.LifeUserBytes / 1e9;
        var rate = runs.LifeUserBytes / runs.Life.TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"GenerateDataKey {generated} by {runs.Producers} producers for {gigabytes:F3} GB in {runs.Life.TotalSeconds:F1} s ({generated / gigabytes:F1} per GB in these runs; "
            + $"at their {rate / 1e6:F1} MB/s with {keyAge.TotalMinutes:F0}-minute keys {1e9 / (rate * keyAge.TotalSeconds):F2} per GB), "
            + $"Decrypt {reader.Decrypts} by {reader.Readers} readers for {reader.DecodedBytes / 1e9:F3} GB decoded ({reader.Decrypts / (reader.DecodedBytes / 1e9):F1} per GB)");
    }

    // The aggregates encrypted as the producer encrypts them: the same RecordEncryptor, one data key.
    private static async Task<List<byte[]>> EncryptAsync(
        IAmazonKeyManagementService kmsClient, RecordEncryption encryption, string stream, List<byte[]> aggregates, RecordCompression setting)
    {
        var records = new List<byte[]>(aggregates.Count);
        using var encryptor = new RecordEncryptor(kmsClient, encryption, stream);
        foreach (var aggregate in aggregates)
        {
            var destination = new byte[encryptor.MaxEncryptedLength(aggregate.Length)];
            var length = await encryptor.EncryptAsync(aggregate, isEnvelope: setting.IsEnabled, destination);
            records.Add(destination.AsSpan(0, length).ToArray());
        }

        return records;
    }

    // A reader with an empty key cache, as a consumer starting on these records: its Decrypt calls and its CPU.
    private static async Task<ReaderFigures> DecodeEncryptedAsync(LoopbackKms kms, IAmazonKeyManagementService kmsClient, List<byte[]> records, byte[][] lines)
    {
        var decryptsBefore = kms.Count(KmsOperation.Decrypt);
        using var decryptor = new RecordDecryptor(kmsClient);
        var cpu = await DecodeTiming.CpuPerMillionAsync(records, decryptor, lines.Length);
        var decrypts = kms.Count(KmsOperation.Decrypt) - decryptsBefore;
        if (decrypts != decryptor.DecryptCalls)
        {
            throw new InvalidOperationException($"The KMS answered {decrypts} Decrypt calls; the reader made {decryptor.DecryptCalls}.");
        }

        return new ReaderFigures(cpu, decrypts, (DecodeTiming.Rounds + 1) * lines.Sum(l => (long)l.Length), 1);
    }

    private readonly record struct ReaderFigures(double CpuPerMillion, long Decrypts, long DecodedBytes, int Readers)
    {
        public ReaderFigures With(ReaderFigures other) => new(
            ((CpuPerMillion * Readers) + (other.CpuPerMillion * other.Readers)) / (Readers + other.Readers),
            Decrypts + other.Decrypts, DecodedBytes + other.DecodedBytes, Readers + other.Readers);
    }
}
