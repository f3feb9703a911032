using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Kinesis.Clients.Aggregation;
using ManagedCompressor = ZstdSharp.Compressor;
using ManagedDecompressor = ZstdSharp.Decompressor;
using NativeCompressor = ZstdNet.Compressor;
using NativeDecompressor = ZstdNet.Decompressor;

namespace Kinesis.Clients.Benchmarks;

/// <summary>
/// ZstdSharp.Port (managed, what Core ships) against ZstdNet (the native libzstd) on what the producer compresses:
/// one KPL aggregate of about 300 KB of application-log lines (filled by compressed size, as the producer does).
/// Op/s is user records per second (OperationsPerInvoke is the aggregate's record count).
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives its runner from this class.</remarks>
[MemoryDiagnoser]
public class ZstdBenchmarks
{
    private const int RawSize = 300_000;
    private const int Records = 3_762; // the lines that fill RawSize (checked in Setup), for OperationsPerInvoke

    private byte[] _aggregate = [];
    private byte[] _compressed = [];
    private byte[] _output = [];
    private byte[] _restored = [];
    private ManagedCompressor _managed = null!;
    private ManagedDecompressor _managedDecompressor = null!;
    private NativeCompressor _native = null!;
    private NativeDecompressor _nativeDecompressor = null!;

    [Params(1, 3)]
    public int Level { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        using var builder = new AggregateBuilder(RawSize);
        for (var i = 0; builder.TryAdd($"host-{i % 100:D4}", null, Line(i)); i++)
        {
        }

        if (builder.Count != Records)
        {
            throw new InvalidOperationException($"The aggregate holds {builder.Count} records; OperationsPerInvoke says {Records}.");
        }

        _aggregate = builder.ToArray();
        _managed = new ManagedCompressor(Level);
        _managedDecompressor = new ManagedDecompressor();
        _native = new NativeCompressor(new ZstdNet.CompressionOptions(Level));
        _nativeDecompressor = new NativeDecompressor();
        _output = new byte[ManagedCompressor.GetCompressBound(_aggregate.Length)];
        _compressed = _managed.Wrap(_aggregate).ToArray();
        _restored = new byte[_aggregate.Length];
        var native = _native.Wrap(_aggregate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// {builder.Count} records, {_aggregate.Length} B; level {Level}: managed {_compressed.Length} B ({_aggregate.Length / (double)_compressed.Length:F1}x), native {native.Length} B ({_aggregate.Length / (double)native.Length:F1}x)"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _managed.Dispose();
        _managedDecompressor.Dispose();
        _native.Dispose();
        _nativeDecompressor.Dispose();
    }

    [Benchmark(OperationsPerInvoke = Records, Baseline = true)]
    public int CompressManaged() => _managed.Wrap(_aggregate, _output);

    [Benchmark(OperationsPerInvoke = Records)]
    public int CompressNative() => _native.Wrap(_aggregate, _output);

    [Benchmark(OperationsPerInvoke = Records)]
    public int DecompressManaged() => _managedDecompressor.Unwrap(_compressed, _restored);

    [Benchmark(OperationsPerInvoke = Records)]
    public int DecompressNative() => _nativeDecompressor.Unwrap(_compressed, _restored);

    private static byte[] Line(int i) => Encoding.UTF8.GetBytes(string.Create(
        CultureInfo.InvariantCulture,
        $"{new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc).AddMilliseconds(i * 3.7):O} INFO [worker-{i % 8}] request {i} served in {i % 37} ms\n"));
}
