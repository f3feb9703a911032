using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text;
using Amazon.KeyManagementService;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Encryption;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Benchmarks;

/// <summary>
/// What encryption costs per Kinesis record: one KPL aggregate of log lines, compressed (zstd 3, filled to about 300 KB
/// raw as the producer does with compression) or not (51,200 bytes, AggregationMaxSize), then encrypted with
/// AES-256-GCM under a cached data key (from the loopback KMS, asked once), and the reader's way back (open the
/// envelope and deaggregate, as the consumer does). One operation is one aggregate; each category compares an
/// operation with encryption against the same operation on the same input without it (the baseline).
/// </summary>
/// <remarks>
/// On a machine shared with other work the means move by 2-4x between iterations of one case (the thread's share of
/// a core, not the code): compare within a category only over many iterations (<c>--iterationCount 15</c> or more),
/// and read what encryption adds from <see cref="EncryptCompressed"/> rather than from the difference of two rows.
/// Not sealed: BenchmarkDotNet derives its runner from this class.
/// </remarks>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class EncryptionBenchmarks
{
    private const string Write = "write";
    private const string Read = "read";

    private byte[] _plain = [];
    private byte[] _compressed = [];
    private byte[] _compressOutput = [];
    private byte[] _encryptOutput = [];
    private byte[] _encrypted = [];
    private readonly List<DeaggregatedRecord> _subRecords = [];
    private int _records;
    private RecordEncoder _encoder = null!;
    private LoopbackKms _kms = null!;
    private AmazonKeyManagementServiceClient _client = null!;
    private RecordEncryptor _encryptor = null!;
    private RecordDecryptor _decryptor = null!;

    [Params(51_200, 300_000)]
    public int AggregateSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var builder = new AggregateBuilder(AggregateSize);
        for (var i = 0; builder.TryAdd($"host-{i % 100:D4}", null, Line(i)); i++)
        {
        }

        _records = builder.Count;
        _plain = builder.ToArray();
        _encoder = new RecordEncoder(RecordCompression.Zstd());
        _compressOutput = new byte[RecordEncoder.MaxEncodedLength(_plain.Length, CompressionAlgorithm.Zstd)];
        _compressed = _compressOutput.AsSpan(0, _encoder.Encode(_plain, _compressOutput)).ToArray();
        _kms = LoopbackKms.StartAsync().GetAwaiter().GetResult();
        _client = _kms.CreateClient();
        var key = _kms.CreateKey();
        _encryptor = new RecordEncryptor(_client, new RecordEncryption(key.Arn) { MaxDataKeyAge = TimeSpan.FromHours(1) }, "bench");
        _encryptOutput = new byte[_encryptor.MaxEncryptedLength(_plain.Length)];
        _encrypted = _encryptOutput.AsSpan(0, _encryptor.EncryptAsync(_compressed, isEnvelope: true, _encryptOutput).AsTask().GetAwaiter().GetResult()).ToArray();

        // The data key is fetched here, once, as a consumer does for a page of records before decoding them.
        _decryptor = new RecordDecryptor(_client);
        _decryptor.PrepareAsync([_encrypted]).GetAwaiter().GetResult();
        var settled = SettleJit();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// {_records} records, {_plain.Length} B; zstd {_compressed.Length} B; zstd+encrypted {_encrypted.Length} B (+{_encrypted.Length - _compressed.Length} B); JIT settled in {settled.TotalSeconds:F1} s"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _encoder.Dispose();
        _encryptor.Dispose();
        _decryptor.Dispose();
        _client.Dispose();
        _kms.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Write)]
    public int Compress() => _encoder.Encode(_plain, _compressOutput);

    [Benchmark]
    [BenchmarkCategory(Write)]
    public async Task<int> CompressThenEncrypt()
    {
        var length = _encoder.Encode(_plain, _compressOutput);
        return await _encryptor.EncryptAsync(_compressOutput.AsMemory(0, length), isEnvelope: true, _encryptOutput);
    }

    // What encryption adds after compression, measured by itself: the difference of the two rows above is a small
    // number taken from two large ones, each measured at another moment of the machine's load.
    [Benchmark]
    [BenchmarkCategory(Write)]
    public async Task<int> EncryptCompressed() => await _encryptor.EncryptAsync(_compressed, isEnvelope: true, _encryptOutput);

    [Benchmark]
    [BenchmarkCategory(Write)]
    public async Task<int> EncryptOnly() => await _encryptor.EncryptAsync(_plain, isEnvelope: false, _encryptOutput);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory(Read)]
    public int DecompressAndDeaggregate() => Open(_compressed, decryptor: null);

    [Benchmark]
    [BenchmarkCategory(Read)]
    public int DecryptDecompressAndDeaggregate() => Open(_encrypted, _decryptor);

    private int Open(byte[] record, RecordDecryptor? decryptor)
    {
        _subRecords.Clear();
        Deaggregator.DeaggregateInto("a", record, _subRecords, decryptor, out var envelope, out var problem);
        return envelope == RecordDecodeStatus.Decoded && _subRecords.Count == _records
            ? _subRecords.Count
            : throw new InvalidOperationException($"The aggregate did not open ({envelope}, {_subRecords.Count} records): {problem}");
    }

    // Every operation runs here until the JIT stops compiling (at most 30 s), so no case pays for tier-up in its pilot
    // and warm-up stages: in-process, the case run first (compress) did (1-8 ms per operation in its pilot stage
    // against 0.2 ms later), and the cases after it ran on code the earlier ones had tiered up.
    private TimeSpan SettleJit()
    {
        var clock = Stopwatch.StartNew();
        var quietRounds = 0;
        while (quietRounds < 2 && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            var before = JitInfo.GetCompiledMethodCount();
            var round = Stopwatch.StartNew();
            while (round.Elapsed < TimeSpan.FromMilliseconds(250))
            {
                Compress();
                CompressThenEncrypt().GetAwaiter().GetResult();
                EncryptCompressed().GetAwaiter().GetResult();
                EncryptOnly().GetAwaiter().GetResult();
                DecompressAndDeaggregate();
                DecryptDecompressAndDeaggregate();
            }

            quietRounds = JitInfo.GetCompiledMethodCount() == before ? quietRounds + 1 : 0;
        }

        return clock.Elapsed;
    }

    private static byte[] Line(int i) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"2026-12-07T09:{i / 60 % 60:00}:{i % 60:00}.{i % 1000:000}Z INFO [worker-{i % 8}] order {100_000 + i} accepted for customer {i * 7919 % 50_000} in {i % 90} ms\n"));
}
