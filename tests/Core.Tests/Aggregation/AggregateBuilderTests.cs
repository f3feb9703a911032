using System.Buffers;
using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Aggregation.Protobuf;
using Kinesis.Clients.Records;
using Kinesis.Clients.Tests.Records;

namespace Kinesis.Clients.Tests.Aggregation;

public sealed class AggregateBuilderTests
{
    private static readonly byte[] Hello = Encoding.UTF8.GetBytes("hello");

    [Fact]
    public void The_design_test_vector_encodes_byte_for_byte()
    {
        using var builder = new AggregateBuilder();

        Assert.True(builder.TryAdd("pk1", null, "hello"u8));
        Assert.True(builder.TryAdd("pk2", null, "world"u8));
        Assert.True(builder.TryAdd("pk1", null, "!"u8));

        Assert.Equal(Kpl.TestVectorHex, Convert.ToHexStringLower(builder.ToArray()));
        Assert.Equal(Kpl.TestVectorHex.Length / 2, builder.EncodedSize);
        Assert.Equal(3, builder.Count);
    }

    [Fact]
    public void Explicit_hash_keys_go_in_their_own_table_and_only_records_with_one_carry_an_index()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("pk1", "5", "x"u8);
        builder.TryAdd("pk1", null, "y"u8);
        builder.TryAdd("pk1", "5", "z"u8);

        var body = Kpl.Body(builder.ToArray());

        // pk table, ehk table, then records: 08 pk index, 10 ehk index (when present), 1a data.
        Assert.Equal(
            "0a03706b31" + "120135" + "1a0708001000" + "1a0178" + "1a0508001a0179" + "1a0708001000" + "1a017a",
            Convert.ToHexStringLower(body));
    }

    [Fact]
    public void Repeated_keys_share_one_table_entry()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("b", "7", "1"u8);
        builder.TryAdd("a", "8", "2"u8);
        builder.TryAdd("b", "7", "3"u8);
        builder.TryAdd("a", "7", "4"u8);

        var parsed = AggregatedRecord.Parser.ParseFrom(Kpl.Body(builder.ToArray()));

        Assert.Equal(["b", "a"], parsed.PartitionKeyTable);
        Assert.Equal(["7", "8"], parsed.ExplicitHashKeyTable);
        Assert.Equal([0UL, 1UL, 0UL, 1UL], parsed.Records.Select(r => r.PartitionKeyIndex));
        Assert.Equal([0UL, 1UL, 0UL, 0UL], parsed.Records.Select(r => r.ExplicitHashKeyIndex));
    }

    [Fact]
    public void Partition_key_index_zero_is_on_the_wire()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("only", null, Hello);

        var parsed = AggregatedRecord.Parser.ParseFrom(Kpl.Body(builder.ToArray()));

        Assert.True(parsed.Records.Single().HasPartitionKeyIndex);
        Assert.Equal(0UL, parsed.Records.Single().PartitionKeyIndex);
        Assert.False(parsed.Records.Single().HasExplicitHashKeyIndex);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16_383)]
    [InlineData(16_384)]
    [InlineData(2_097_152)]
    public void SizeIfAdded_is_exact_across_varint_length_boundaries(int dataLength)
    {
        using var builder = new AggregateBuilder(maxEncodedSize: 10 * 1024 * 1024);
        builder.TryAdd("first", null, new byte[3]);
        var data = new byte[dataLength];

        var predicted = builder.SizeIfAdded("second", "12345", dataLength);
        Assert.True(builder.TryAdd("second", "12345", data));

        Assert.Equal(predicted, builder.EncodedSize);
        Assert.Equal(predicted, builder.ToArray().Length);
    }

    [Fact]
    public void TryAdd_fills_to_exactly_the_limit_and_refuses_one_byte_more_without_changing_anything()
    {
        using var builder = new AggregateBuilder(maxEncodedSize: 100);
        builder.TryAdd("pk1", null, new byte[40]);
        var room = Enumerable.Range(0, 100).Last(n => builder.SizeIfAdded("pk2", null, n) <= 100);
        var before = builder.ToArray();

        Assert.False(builder.TryAdd("pk2", null, new byte[room + 1]));
        Assert.Equal(1, builder.Count);
        Assert.Equal(before, builder.ToArray());

        Assert.True(builder.TryAdd("pk2", null, new byte[room]));
        Assert.Equal(100, builder.EncodedSize);
        Assert.Equal(["pk1", "pk2"], Deaggregator.Deaggregate("x", builder.ToArray()).Select(r => r.PartitionKey));
        Assert.False(builder.TryAdd("pk1", null, []));
    }

    [Fact]
    public void An_empty_builder_accepts_a_record_larger_than_the_limit()
    {
        using var builder = new AggregateBuilder(maxEncodedSize: 64);

        Assert.True(builder.TryAdd("big", null, new byte[1000]));
        Assert.False(builder.TryAdd("small", null, [1]));
        Assert.Equal(1, builder.Count);
        Assert.Equal(1000, builder.KinesisDataLength);
    }

    [Fact]
    public void TryAdd_stops_at_the_record_count_limit()
    {
        using var builder = new AggregateBuilder(maxCount: 2);

        Assert.True(builder.TryAdd("a", null, [1]));
        Assert.True(builder.TryAdd("b", null, [2]));
        Assert.False(builder.TryAdd("c", null, [3]));
        Assert.Equal(2, builder.Count);
    }

    [Fact]
    public void Reset_makes_the_builder_encode_like_a_new_one()
    {
        using var reused = new AggregateBuilder();
        reused.TryAdd("old", "99", new byte[500]);
        reused.TryAdd("older", null, new byte[5]);
        reused.Reset();
        Assert.Equal(0, reused.Count);
        Assert.Equal(20, reused.EncodedSize);

        reused.TryAdd("pk1", null, "hello"u8);
        reused.TryAdd("pk2", null, "world"u8);
        reused.TryAdd("pk1", null, "!"u8);

        Assert.Equal(Kpl.TestVectorHex, Convert.ToHexStringLower(reused.ToArray()));
    }

    [Fact]
    public void WriteTo_a_buffer_writer_and_a_span_match_ToArray()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("pk1", null, "hello"u8);
        builder.TryAdd("pk2", "1", "world"u8);
        var writer = new ArrayBufferWriter<byte>();
        writer.Write<byte>([0xAA]);
        var span = new byte[builder.EncodedSize + 3];

        builder.WriteTo(writer);
        var written = builder.WriteTo(span);

        Assert.Equal([0xAA, .. builder.ToArray()], writer.WrittenSpan.ToArray());
        Assert.Equal(builder.EncodedSize, written);
        Assert.Equal(builder.ToArray(), span[..written]);
    }

    [Fact]
    public void WriteTo_a_short_span_throws_naming_the_size()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("pk1", null, Hello);

        var error = Assert.Throws<ArgumentException>(() => builder.WriteTo(new byte[builder.EncodedSize - 1]));

        Assert.Equal("destination", error.ParamName);
        Assert.Contains($"{builder.EncodedSize}-byte", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_record_goes_to_Kinesis_raw_with_its_own_keys()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("user-key", "12345", Hello);
        var writer = new ArrayBufferWriter<byte>();

        builder.WriteKinesisData(writer);

        Assert.Equal("user-key", builder.KinesisPartitionKey);
        Assert.Equal("12345", builder.KinesisExplicitHashKey);
        Assert.Equal(Hello, builder.ToKinesisData());
        Assert.Equal(Hello, writer.WrittenSpan.ToArray());
        Assert.Equal(Hello.Length, builder.KinesisDataLength);
    }

    [Fact]
    public void One_record_without_an_explicit_hash_key_goes_without_one()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("user-key", null, Hello);

        Assert.Null(builder.KinesisExplicitHashKey);
    }

    [Fact]
    public void Several_records_go_to_Kinesis_as_the_aggregate_under_key_a_on_the_first_records_hash_key()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("pk1", null, "hello"u8);
        builder.TryAdd("pk2", null, "world"u8);
        var writer = new ArrayBufferWriter<byte>();

        builder.WriteKinesisData(writer);

        Assert.Equal("a", builder.KinesisPartitionKey);
        Assert.Equal("329398341438914906102347661116985167824", builder.KinesisExplicitHashKey);
        Assert.Equal(builder.ToArray(), builder.ToKinesisData());
        Assert.Equal(builder.ToArray(), writer.WrittenSpan.ToArray());
        Assert.Equal(builder.EncodedSize, builder.KinesisDataLength);
    }

    [Fact]
    public void An_aggregate_whose_first_record_has_an_explicit_hash_key_goes_on_that_key()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("pk1", "170141183460469231731687303715884105728", "hello"u8);
        builder.TryAdd("pk2", null, "world"u8);

        Assert.Equal("170141183460469231731687303715884105728", builder.KinesisExplicitHashKey);
        Assert.Equal(
            HashKey.Parse(builder.KinesisExplicitHashKey!),
            HashKey.ForRecord("pk1", "170141183460469231731687303715884105728"));
    }

    [Fact]
    public void An_empty_builder_has_nothing_to_send()
    {
        using var builder = new AggregateBuilder();

        Assert.Throws<InvalidOperationException>(() => builder.KinesisPartitionKey);
        Assert.Throws<InvalidOperationException>(() => builder.KinesisExplicitHashKey);
        Assert.Throws<InvalidOperationException>(() => builder.KinesisDataLength);
        Assert.Throws<InvalidOperationException>(() => builder.ToKinesisData());
        Assert.Throws<InvalidOperationException>(() => builder.WriteKinesisData(new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-1, 1)]
    [InlineData((10 * 1024 * 1024) + 1, 1)]
    [InlineData(51_200, 0)]
    public void Constructor_rejects_limits_out_of_range(int maxEncodedSize, int maxCount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AggregateBuilder(maxEncodedSize, maxCount));
    }

    [Fact]
    public void The_encoded_aggregate_has_the_magic_and_the_MD5_of_its_body()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("pk1", null, Hello);
        var bytes = builder.ToArray();

        Assert.Equal(Kpl.Magic, bytes[..4]);
        Assert.Equal(Md5.Of(Kpl.Body(bytes)), bytes[^16..]);
    }
}
