using System.Formats.Cbor;
using BenchmarkDotNet.Attributes;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Benchmarks;

/// <summary>
/// Builds one PutRecords body of 500 records in each encoding, as the client does before sending
/// (<see cref="Cbor"/> writes straight into the pooled buffer as the transport does; the two
/// <c>CborLibrary</c> cases use System.Formats.Cbor's writer, reused or new per request, for comparison). Op/s reads as records/s; the MB/s column is record data serialised per second.
/// </summary>
[MemoryDiagnoser]
public class PutRecordsSerializationBenchmarks
{
    private const int RecordsPerRequest = 500;

    private PutRecordsEntry[] _records = [];
    private PooledBufferWriter _buffer = null!;
    private readonly CborWriter _cbor = new(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false);

    [Params(100, 1024)]
    public int RecordSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _records = new PutRecordsEntry[RecordsPerRequest];
        for (var i = 0; i < _records.Length; i++)
        {
            var data = new byte[RecordSize];
            random.NextBytes(data);
            _records[i] = new PutRecordsEntry($"partition-key-{random.Next(10_000)}", data);
        }

        _buffer = new PooledBufferWriter(RecordsPerRequest * (RecordSize * 2 + 64));
    }

    [Benchmark(OperationsPerInvoke = RecordsPerRequest, Baseline = true)]
    public int Cbor()
    {
        _buffer.Clear();
        KinesisRequestWriters.PutRecords(new CborBufferWriter(_buffer), "benchmark-stream", null, _records);
        return _buffer.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = RecordsPerRequest)]
    public int CborLibraryReusedWriter()
    {
        _buffer.Clear();
        var cbor = _cbor;
        cbor.Reset();
        KinesisRequestWriters.PutRecords(new LibraryCborWireWriter(cbor), "benchmark-stream", null, _records);
        var written = cbor.Encode(_buffer.GetSpan(cbor.BytesWritten));
        _buffer.Advance(written);
        return written;
    }

    [GlobalCleanup]
    public void Cleanup() => _buffer.Dispose();

    [Benchmark(OperationsPerInvoke = RecordsPerRequest)]
    public int Json()
    {
        _buffer.Clear();
        using var writer = new JsonWireWriter(_buffer);
        KinesisRequestWriters.PutRecords(writer, "benchmark-stream", null, _records);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(OperationsPerInvoke = RecordsPerRequest)]
    public int CborLibraryNewWriter()
    {
        _buffer.Clear();
        var cbor = new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false);
        KinesisRequestWriters.PutRecords(new LibraryCborWireWriter(cbor), "benchmark-stream", null, _records);
        var written = cbor.Encode(_buffer.GetSpan(cbor.BytesWritten));
        _buffer.Advance(written);
        return written;
    }
}
