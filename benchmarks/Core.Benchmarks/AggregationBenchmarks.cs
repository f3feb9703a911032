using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Records;
using GeneratedAggregate = Kinesis.Clients.Aggregation.Protobuf.AggregatedRecord;
using GeneratedRecord = Kinesis.Clients.Aggregation.Protobuf.Record;

namespace Kinesis.Clients.Benchmarks;

/// <summary>
/// KPL aggregation throughput: 10,000 user records of 100 bytes, each with its own partition key, packed into
/// aggregates of up to 51,200 bytes (the KPL default) and read back. Every benchmark processes all 10,000
/// records per invocation, so Op/s is records per second.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives its runner from this class.</remarks>
[MemoryDiagnoser]
[SuppressMessage("Security", "CA5351", Justification = "The KPL format checks its body with MD5.")]
public class AggregationBenchmarks
{
    private const int RecordCount = 10_000;
    private const int DataSize = 100;
    private static readonly byte[] Magic = [0xF3, 0x89, 0x9A, 0xC2];

    private readonly AggregateBuilder _builder = new();
    private readonly ArrayBufferWriter<byte> _output = new(64 * 1024);
    private readonly List<DeaggregatedRecord> _decoded = new(1024);
    private readonly Dictionary<string, int> _keyIndexes = new(StringComparer.Ordinal);
    private string[] _keys = [];
    private byte[][] _data = [];
    private (int Start, int Count)[] _batches = [];
    private byte[][] _aggregates = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _keys = Enumerable.Range(0, RecordCount).Select(i => $"partition-key-{i:D5}-{random.Next():x8}").ToArray();
        _data = Enumerable.Range(0, RecordCount).Select(_ =>
        {
            var data = new byte[DataSize];
            random.NextBytes(data);
            return data;
        }).ToArray();

        var batches = new List<(int, int)>();
        var aggregates = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < RecordCount; i++)
        {
            if (!_builder.TryAdd(_keys[i], null, _data[i]))
            {
                batches.Add((start, i - start));
                aggregates.Add(_builder.ToArray());
                _builder.Reset();
                start = i;
                _builder.TryAdd(_keys[i], null, _data[i]);
            }
        }

        batches.Add((start, RecordCount - start));
        aggregates.Add(_builder.ToArray());
        _builder.Reset();
        _batches = [.. batches];
        _aggregates = [.. aggregates];
        Console.WriteLine($"// {RecordCount} records in {_aggregates.Length} aggregates, {_aggregates.Average(a => a.Length):F0} bytes each on average");
    }

    [GlobalCleanup]
    public void Cleanup() => _builder.Dispose();

    /// <summary>The producer's path: fill each aggregate to the limit, then write what goes to Kinesis.</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public int Encode()
    {
        var bytes = 0;
        for (var i = 0; i < RecordCount; i++)
        {
            if (!_builder.TryAdd(_keys[i], null, _data[i]))
            {
                bytes += Flush();
                _builder.TryAdd(_keys[i], null, _data[i]);
            }
        }

        return bytes + Flush();
    }

    /// <summary>
    /// The same aggregates through the generated proto2 classes. It is handed the batch boundaries the builder
    /// found, so it does no size accounting at all: a lower bound on what the generated path would cost.
    /// </summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public int EncodeWithGeneratedClasses()
    {
        var bytes = 0;
        foreach (var (start, count) in _batches)
        {
            _keyIndexes.Clear();
            var message = new GeneratedAggregate();
            for (var i = start; i < start + count; i++)
            {
                if (!_keyIndexes.TryGetValue(_keys[i], out var index))
                {
                    index = _keyIndexes.Count;
                    _keyIndexes.Add(_keys[i], index);
                    message.PartitionKeyTable.Add(_keys[i]);
                }

                message.Records.Add(new GeneratedRecord { PartitionKeyIndex = (ulong)index, Data = ByteString.CopyFrom(_data[i]) });
            }

            _output.ResetWrittenCount();
            _output.Write(Magic);
            message.WriteTo(_output);
            var digest = _output.GetSpan(16);
            MD5.HashData(_output.WrittenSpan[Magic.Length..], digest);
            _output.Advance(16);
            _ = HashKey.FromPartitionKey(_keys[start]).ToString();
            bytes += _output.WrittenCount;
        }

        return bytes;
    }

    /// <summary>The consumer's path: check and split each aggregate into user records slicing its data.</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public int Decode()
    {
        var records = 0;
        foreach (var aggregate in _aggregates)
        {
            _decoded.Clear();
            Deaggregator.DeaggregateInto("a", aggregate, _decoded);
            records += _decoded.Count;
        }

        return records;
    }

    /// <summary>The same aggregates checked and parsed by the generated proto2 classes.</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public int DecodeWithGeneratedClasses()
    {
        var records = 0;
        Span<byte> digest = stackalloc byte[16];
        foreach (var aggregate in _aggregates)
        {
            var body = aggregate.AsSpan(Magic.Length, aggregate.Length - Magic.Length - 16);
            MD5.HashData(body, digest);
            if (!aggregate.AsSpan().StartsWith(Magic) || !digest.SequenceEqual(aggregate.AsSpan(^16)))
            {
                continue;
            }

            var message = GeneratedAggregate.Parser.ParseFrom(body);
            foreach (var record in message.Records)
            {
                _ = message.PartitionKeyTable[(int)record.PartitionKeyIndex];
                _ = record.Data.Memory;
                records++;
            }
        }

        return records;
    }

    /// <summary>MD5 hash key of each record's partition key, as the producer computes for shard routing.</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public UInt128 HashKeyFromPartitionKey()
    {
        UInt128 combined = 0;
        foreach (var key in _keys)
        {
            combined ^= HashKey.FromPartitionKey(key).Value;
        }

        return combined;
    }

    /// <summary>The same through the platform's MD5, which crosses into OpenSSL for every key.</summary>
    [Benchmark(OperationsPerInvoke = RecordCount)]
    public UInt128 HashKeyWithPlatformMd5()
    {
        UInt128 combined = 0;
        Span<byte> utf8 = stackalloc byte[256];
        Span<byte> digest = stackalloc byte[16];
        foreach (var key in _keys)
        {
            var length = Encoding.UTF8.GetBytes(key, utf8);
            MD5.HashData(utf8[..length], digest);
            combined ^= BinaryPrimitives.ReadUInt128BigEndian(digest);
        }

        return combined;
    }

    private int Flush()
    {
        _output.ResetWrittenCount();
        _builder.WriteKinesisData(_output);
        _ = _builder.KinesisPartitionKey;
        _ = _builder.KinesisExplicitHashKey;
        _builder.Reset();
        return _output.WrittenCount;
    }
}
