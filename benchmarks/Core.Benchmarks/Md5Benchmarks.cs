using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Benchmarks;

/// <summary>
/// The digests that end KPL aggregates, as one PutRecords request needs them: 64 buffers of 51,200 bytes, hashed
/// one after the other by the platform's MD5 (OpenSSL on Linux) or side by side in SIMD lanes. Every benchmark
/// hashes all 64 per invocation, so Op/s is buffers per second and MB/s the bytes hashed.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives its runner from this class.</remarks>
[MemoryDiagnoser]
[SuppressMessage("Security", "CA5351", Justification = "The KPL format checks its body with MD5.")]
public class Md5Benchmarks
{
    private const int BufferCount = 64;

    private ReadOnlyMemory<byte>[] _inputs = [];
    private byte[] _digests = [];

    /// <summary>Bytes per buffer: the KPL's default AggregationMaxSize.</summary>
    [Params(51_200)]
    public int RecordSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _inputs = Enumerable.Range(0, BufferCount).Select(_ =>
        {
            var bytes = new byte[RecordSize];
            random.NextBytes(bytes);
            return (ReadOnlyMemory<byte>)bytes;
        }).ToArray();
        _digests = new byte[BufferCount * MultiBufferMd5.DigestSize];
        Console.WriteLine(
            $"// lanes supported here: Vector512 {Md5Vector512Lanes.IsSupported}, Vector256 with AVX-512VL {Md5Vector256Avx512Lanes.IsSupported}, Vector256 {Md5Vector256Lanes.IsSupported}, Vector128 {Md5Vector128Lanes.IsSupported} (an unsupported width runs the next narrower)");
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BufferCount)]
    public void PlatformMd5PerBuffer()
    {
        for (var i = 0; i < _inputs.Length; i++)
        {
            MD5.HashData(_inputs[i].Span, _digests.AsSpan(i * MultiBufferMd5.DigestSize, MultiBufferMd5.DigestSize));
        }
    }

    [Benchmark(OperationsPerInvoke = BufferCount)]
    public void Lanes128() => MultiBufferMd5.HashData(_inputs, _digests, Md5LaneWidth.Vector128);

    [Benchmark(OperationsPerInvoke = BufferCount)]
    public void Lanes256() => MultiBufferMd5.HashData(_inputs, _digests, Md5LaneWidth.Vector256);

    [Benchmark(OperationsPerInvoke = BufferCount)]
    public void Lanes256Avx512() => MultiBufferMd5.HashData(_inputs, _digests, Md5LaneWidth.Vector256Avx512);

    [Benchmark(OperationsPerInvoke = BufferCount)]
    public void Lanes512() => MultiBufferMd5.HashData(_inputs, _digests, Md5LaneWidth.Vector512);
}
