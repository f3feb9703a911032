using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Benchmarks;

/// <summary>
/// Where lanes stop paying: a few buffers (most lanes idle), small or aggregate-sized, per call. Sets
/// <see cref="MultiBufferMd5"/>'s threshold for falling back to the platform's MD5.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives its runner from this class.</remarks>
[SuppressMessage("Security", "CA5351", Justification = "The KPL format checks its body with MD5.")]
public class Md5CrossoverBenchmarks
{
    private ReadOnlyMemory<byte>[] _inputs = [];
    private byte[] _digests = [];

    [Params(1, 2, 3, 4)]
    public int BufferCount { get; set; }

    [Params(100, 51_200)]
    public int BufferSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _inputs = Enumerable.Range(0, BufferCount).Select(_ =>
        {
            var bytes = new byte[BufferSize];
            random.NextBytes(bytes);
            return (ReadOnlyMemory<byte>)bytes;
        }).ToArray();
        _digests = new byte[BufferCount * MultiBufferMd5.DigestSize];
    }

    [Benchmark(Baseline = true)]
    public void PlatformMd5() => MultiBufferMd5.HashData(_inputs, _digests, Md5LaneWidth.Scalar);

    [Benchmark]
    public void Lanes128() => MultiBufferMd5.HashData(_inputs, _digests, Md5LaneWidth.Vector128);

    [Benchmark]
    public void Lanes256() => MultiBufferMd5.HashData(_inputs, _digests, Md5LaneWidth.Vector256);

    [Benchmark]
    public void Lanes512() => MultiBufferMd5.HashData(_inputs, _digests, Md5LaneWidth.Vector512);
}
