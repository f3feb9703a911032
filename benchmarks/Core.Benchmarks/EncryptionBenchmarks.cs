using System.Globalization;
using System.Text;
using Amazon.KeyManagementService;
using BenchmarkDotNet.Attributes;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Encryption;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Benchmarks;

/// <summary>
/// What encryption costs the producer per Kinesis record: one KPL aggregate of log lines, compressed (zstd 3, filled
/// to about 300 KB raw as the producer does with compression) or not (51,200 bytes, AggregationMaxSize), then
/// encrypted with AES-256-GCM under a cached data key (from the loopback KMS, asked once), and the reader's way back.
/// One operation is one aggregate; the setup line prints its records and bytes (records/s = records / mean).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives its runner from this class.</remarks>
[MemoryDiagnoser]
public class EncryptionBenchmarks
{
    private byte[] _plain = [];
    private byte[] _compressed = [];
    private byte[] _compressOutput = [];
    private byte[] _encryptOutput = [];
    private byte[] _encrypted = [];
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
        _decryptor = new RecordDecryptor(_client);
        _decryptor.PrepareAsync([_encrypted]).GetAwaiter().GetResult();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// {_records} records, {_plain.Length} B; zstd {_compressed.Length} B; zstd+encrypted {_encrypted.Length} B (+{_encrypted.Length - _compressed.Length} B)"));
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
    public int Compress() => _encoder.Encode(_plain, _compressOutput);

    [Benchmark]
    public async Task<int> CompressThenEncrypt()
    {
        var length = _encoder.Encode(_plain, _compressOutput);
        return await _encryptor.EncryptAsync(_compressOutput.AsMemory(0, length), isEnvelope: true, _encryptOutput);
    }

    [Benchmark]
    public async Task<int> EncryptOnly() => await _encryptor.EncryptAsync(_plain, isEnvelope: false, _encryptOutput);

    [Benchmark]
    public async Task<int> DecryptThenDecompress() => (await _decryptor.DecodeAsync(_encrypted)).Length;

    private static byte[] Line(int i) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"2026-12-07T09:{i / 60 % 60:00}:{i % 60:00}.{i % 1000:000}Z INFO [worker-{i % 8}] order {100_000 + i} accepted for customer {i * 7919 % 50_000} in {i % 90} ms\n"));
}
