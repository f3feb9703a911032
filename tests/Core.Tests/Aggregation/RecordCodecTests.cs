using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Tests.Aggregation;

public sealed class RecordCodecTests
{
    private static readonly byte[] Hello = Encoding.ASCII.GetBytes("hello");

    [Fact]
    public void An_uncompressed_envelope_is_the_documented_header_then_the_bytes()
    {
        var envelope = RecordCodec.Encode(Hello, RecordCompression.None);

        Assert.Equal("F54B435A" + "01" + "00" + "00" + "00000005" + "68656C6C6F", Convert.ToHexString(envelope));
    }

    [Theory]
    [InlineData(CompressionAlgorithm.Gzip, 1, "01")]
    [InlineData(CompressionAlgorithm.Zstd, 3, "02")]
    public void A_compressed_envelope_names_its_algorithm_and_the_original_length(CompressionAlgorithm algorithm, int level, string algorithmByte)
    {
        var data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("GET /index.html HTTP/1.1 200\n", 400)));

        var envelope = RecordCodec.Encode(data, new RecordCompression(algorithm, level));

        Assert.Equal("F54B435A01" + algorithmByte + "00", Convert.ToHexString(envelope, 0, 7));
        Assert.Equal((uint)data.Length, BinaryPrimitives.ReadUInt32BigEndian(envelope.AsSpan(7)));
        Assert.True(envelope.Length < data.Length / 10, $"{envelope.Length} bytes for {data.Length}");
        Assert.Equal(data, RecordCodec.Decode(envelope).ToArray());
    }

    [Fact]
    public void The_magic_cannot_start_text_json_or_a_kpl_aggregate()
    {
        var magic = RecordCodec.Encode([], RecordCompression.None)[..4];

        Assert.NotEqual(Kpl.Magic, magic);
        Assert.False(magic[0] is >= 0x20 and < 0x7F or (byte)'\t' or (byte)'\n' or (byte)'\r', "printable ASCII");
        Assert.False(magic[0] is >= 0xC2 and <= 0xF4, "a UTF-8 lead byte");
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(magic));
    }

    [Fact]
    public void Data_without_the_magic_passes_through_as_it_is()
    {
        var aggregate = Kpl.Encode([new TestRecord("pk1", "x"), new TestRecord("pk2", "y")]);

        Assert.Equal(RecordDecodeStatus.NotEnveloped, RecordCodec.TryDecode(aggregate, out var decoded));
        Assert.Equal(aggregate, decoded.ToArray());
        Assert.Equal(Hello, RecordCodec.Decode(Hello).ToArray());
    }

    [Theory]
    [InlineData(2, 2, 0)]
    [InlineData(1, 3, 0)]
    [InlineData(1, 2, 2)]
    public void A_newer_version_algorithm_or_flag_is_unsupported_and_passed_through(byte version, byte algorithm, byte flags)
    {
        var envelope = RecordCodec.Encode(Hello, RecordCompression.Zstd());
        envelope[4] = version;
        envelope[5] = algorithm;
        envelope[6] = flags;

        Assert.Equal(RecordDecodeStatus.Unsupported, RecordCodec.TryDecode(envelope, out var decoded));
        Assert.Equal(envelope, decoded.ToArray());
        Assert.Contains("version", Assert.Throws<InvalidDataException>(() => RecordCodec.Decode(envelope)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_length_over_the_limit_is_corrupt_before_anything_is_allocated()
    {
        var envelope = RecordCodec.Encode(Hello, RecordCompression.Zstd());
        BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(7), uint.MaxValue);

        RecordCodec.TryDecode(envelope, out _); // warms the thread's decompressor
        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = RecordCodec.TryDecode(envelope, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(RecordDecodeStatus.Corrupt, status);
        Assert.True(allocated < 4096, $"{allocated} bytes allocated");
    }

    [Theory]
    [InlineData(CompressionAlgorithm.Zstd)]
    [InlineData(CompressionAlgorithm.Gzip)]
    public void A_decompression_bomb_stops_at_the_declared_length(CompressionAlgorithm algorithm)
    {
        // 64 MiB of zeros compress to a few KiB; the header claims 1,000 bytes.
        var header = RecordCodec.Encode(Hello, new RecordCompression(algorithm, 1));
        var payload = Compress(new byte[64 * 1024 * 1024], algorithm);
        var envelope = new byte[RecordCodec.HeaderLength + payload.Length];
        header.AsSpan(0, RecordCodec.HeaderLength).CopyTo(envelope);
        BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(7), 1000);
        payload.CopyTo(envelope, RecordCodec.HeaderLength);

        RecordCodec.TryDecode(envelope, out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var status = RecordCodec.TryDecode(envelope, out var decoded);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(RecordDecodeStatus.Corrupt, status);
        Assert.Equal(envelope, decoded.ToArray());
        Assert.True(allocated < 1024 * 1024, $"{allocated} bytes allocated");
    }

    [Fact]
    public void A_payload_shorter_than_declared_is_corrupt()
    {
        var envelope = RecordCodec.Encode(Hello, RecordCompression.Gzip());
        BinaryPrimitives.WriteUInt32BigEndian(envelope.AsSpan(7), 6);

        Assert.Equal(RecordDecodeStatus.Corrupt, RecordCodec.TryDecode(envelope, out _));
        Assert.Contains("6", Assert.Throws<InvalidDataException>(() => RecordCodec.Decode(envelope)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CompressionAlgorithm.Gzip)]
    [InlineData(CompressionAlgorithm.Zstd)]
    public void An_envelope_cut_inside_its_trailer_is_corrupt(CompressionAlgorithm algorithm)
    {
        var envelope = RecordCodec.Encode(Encoding.ASCII.GetBytes(new string('x', 500)), new RecordCompression(algorithm, 1));

        for (var cut = 1; cut <= 8; cut++)
        {
            Assert.Equal(RecordDecodeStatus.Corrupt, RecordCodec.TryDecode(envelope.AsMemory(..^cut), out _));
        }
    }

    [Fact]
    public void The_deaggregator_opens_an_envelope_and_numbers_the_sub_records_as_before()
    {
        TestRecord[] records = [new("pk1", "hello"), new("pk2", "world"), new("pk1", "!")];
        var envelope = RecordCodec.Encode(Kpl.Encode(records), RecordCompression.Zstd());
        var decoded = new List<DeaggregatedRecord>();

        var aggregated = Deaggregator.DeaggregateInto("a", envelope, decoded, out var status);

        Assert.True(aggregated);
        Assert.Equal(RecordDecodeStatus.Decoded, status);
        Assert.Equal(["pk1", "pk2", "pk1"], decoded.Select(r => r.PartitionKey));
        Assert.Equal(["hello", "world", "!"], decoded.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.Equal([0L, 1, 2], decoded.Select(r => r.SubSequenceNumber));
    }

    [Fact]
    public void The_deaggregator_passes_a_damaged_envelope_through_whole()
    {
        var envelope = RecordCodec.Encode(Kpl.Encode([new TestRecord("pk1", "x"), new TestRecord("pk2", "y")]), RecordCompression.Zstd());
        var damaged = envelope[..^3];
        var decoded = new List<DeaggregatedRecord>();

        var aggregated = Deaggregator.DeaggregateInto("key", damaged, decoded, out var status);

        Assert.False(aggregated);
        Assert.Equal(RecordDecodeStatus.Corrupt, status);
        var only = Assert.Single(decoded);
        Assert.Equal("key", only.PartitionKey);
        Assert.Equal(damaged, only.Data.ToArray());
        Assert.Equal(1, Deaggregator.CountUserRecords(damaged, checkDigest: true));
        Assert.Equal(2, Deaggregator.CountUserRecords(envelope, checkDigest: true));
    }

    [Fact]
    public void Settings_outside_their_range_name_the_option()
    {
        var error = Assert.Throws<ArgumentException>(() => RecordCompression.Zstd(23).Validate("Compression"));
        Assert.Equal("Compression", error.ParamName);
        Assert.Contains("between 1 and 22", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => RecordCompression.Gzip(0).Validate("Compression"));
        Assert.Throws<ArgumentException>(() => new RecordCompression((CompressionAlgorithm)7, 1).Validate("Compression"));
    }

    private static byte[] Compress(byte[] data, CompressionAlgorithm algorithm)
    {
        if (algorithm == CompressionAlgorithm.Zstd)
        {
            using var zstd = new ZstdSharp.Compressor(1);
            return zstd.Wrap(data).ToArray();
        }

        using var target = new MemoryStream();
        using (var gzip = new GZipStream(target, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return target.ToArray();
    }
}
