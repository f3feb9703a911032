using System.Runtime.InteropServices;
using System.Text;
using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Tests.Aggregation;

public sealed class DeaggregatorTests
{
    private const string KinesisKey = "kinesis-key";

    [Fact]
    public void The_design_test_vector_decodes_to_its_three_records()
    {
        var data = Convert.FromHexString(Kpl.TestVectorHex);

        var records = Deaggregator.Deaggregate(KinesisKey, data);

        Assert.Equal(["pk1", "pk2", "pk1"], records.Select(r => r.PartitionKey));
        Assert.Equal(["hello", "world", "!"], records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.Equal([0L, 1L, 2L], records.Select(r => r.SubSequenceNumber));
        Assert.All(records, r => Assert.Null(r.ExplicitHashKey));
        Assert.All(records, r => Assert.True(r.IsAggregated));
        Assert.True(Deaggregator.IsAggregated(data));
    }

    [Fact]
    public void Decoded_data_slices_the_input_instead_of_copying_it()
    {
        var data = Convert.FromHexString(Kpl.TestVectorHex);

        var first = Deaggregator.Deaggregate(KinesisKey, data)[0];

        Assert.True(MemoryMarshal.TryGetArray(first.Data, out var segment));
        Assert.Same(data, segment.Array);
        Assert.Equal(Kpl.TestVectorHex.IndexOf("68656c6c6f", StringComparison.Ordinal) / 2, segment.Offset);
    }

    [Fact]
    public void Explicit_hash_keys_come_back_per_record()
    {
        var body = new ProtoBody()
            .Text(1, "pk")
            .Text(2, "100").Text(2, "200")
            .Message(3, ProtoBody.Record(0, "a", explicitHashKeyIndex: 1))
            .Message(3, ProtoBody.Record(0, "b"))
            .Message(3, ProtoBody.Record(0, "c", explicitHashKeyIndex: 0))
            .ToArray();

        var records = Deaggregator.Deaggregate(KinesisKey, Kpl.Frame(body));

        Assert.Equal(["200", null, "100"], records.Select(r => r.ExplicitHashKey));
    }

    [Fact]
    public void DeaggregateInto_appends_and_reports_whether_the_record_was_an_aggregate()
    {
        var destination = new List<DeaggregatedRecord> { new("earlier", null, new byte[] { 1 }, 0, false) };

        Assert.True(Deaggregator.DeaggregateInto(KinesisKey, Convert.FromHexString(Kpl.TestVectorHex), destination));
        Assert.False(Deaggregator.DeaggregateInto(KinesisKey, "plain"u8.ToArray(), destination));

        Assert.Equal(["earlier", "pk1", "pk2", "pk1", KinesisKey], destination.Select(r => r.PartitionKey));
    }

    public static TheoryData<string, string> NotAggregates()
    {
        var vector = Convert.FromHexString(Kpl.TestVectorHex);
        var body = Kpl.Body(vector);
        var badMagic = (byte[])vector.Clone();
        badMagic[0] ^= 0x01;
        var badDigest = (byte[])vector.Clone();
        badDigest[^1] ^= 0x80;
        var badBody = (byte[])vector.Clone();
        badBody[10] ^= 0x01;

        return new TheoryData<string, string>
        {
            { "plain text", Hex("hello"u8.ToArray()) },
            { "empty", "" },
            { "magic only", Hex(Kpl.Magic) },
            { "magic and 16 bytes: an empty body", Hex(Kpl.Frame([])) },
            { "magic and 15 bytes", Hex([.. Kpl.Magic, .. new byte[15]]) },
            { "wrong magic", Hex(badMagic) },
            { "digest does not match", Hex(badDigest) },
            { "body changed after hashing", Hex(badBody) },
            { "magic without the rest of an aggregate", Hex([.. Kpl.Magic, .. "this is not protobuf at all"u8]) },
            { "protobuf truncated inside a record", Hex(Kpl.Frame(body[..^3])) },
            { "protobuf truncated inside a key", Hex(Kpl.Frame(body[..4])) },
            {
                "partition key index past the table",
                Hex(Kpl.Frame(new ProtoBody().Text(1, "pk").Message(3, ProtoBody.Record(1, "x")).ToArray()))
            },
            {
                "partition key index with an empty table",
                Hex(Kpl.Frame(new ProtoBody().Message(3, ProtoBody.Record(0, "x")).ToArray()))
            },
            {
                "explicit hash key index past the table",
                Hex(Kpl.Frame(new ProtoBody().Text(1, "pk").Text(2, "5").Message(3, ProtoBody.Record(0, "x", 1)).ToArray()))
            },
            {
                "explicit hash key index with no table",
                Hex(Kpl.Frame(new ProtoBody().Text(1, "pk").Message(3, ProtoBody.Record(0, "x", 0)).ToArray()))
            },
            {
                "record without its required partition key index",
                Hex(Kpl.Frame(new ProtoBody().Text(1, "pk").Message(3, new ProtoBody().Bytes(3, [1])).ToArray()))
            },
            {
                "record without its required data",
                Hex(Kpl.Frame(new ProtoBody().Text(1, "pk").Message(3, new ProtoBody().Varint(1, 0)).ToArray()))
            },
            {
                "partition key index with the wrong wire type, so missing",
                Hex(Kpl.Frame(new ProtoBody().Text(1, "pk").Message(3, new ProtoBody().Bytes(1, [0]).Bytes(3, [1])).ToArray()))
            },
            { "tables but no records", Hex(Kpl.Frame(new ProtoBody().Text(1, "pk").ToArray())) },
            { "field number zero", Hex(Kpl.Frame([0x02, 0x00])) },
            { "wire type 7", Hex(Kpl.Frame([0x0F, 0x00])) },
            { "end group with no group open", Hex(Kpl.Frame([0x0C])) },
            { "group closed with another field number", Hex(Kpl.Frame([0x7B, 0x84, 0x01])) },
            { "group never closed", Hex(Kpl.Frame([0x7B, 0x08, 0x01])) },
            { "varint longer than ten bytes", Hex(Kpl.Frame([0x78, .. Enumerable.Repeat((byte)0xFF, 10), 0x01])) },
            { "length past the end", Hex(Kpl.Frame([0x0A, 0x05, 0x61])) },
            { "length above two gigabytes", Hex(Kpl.Frame([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x07])) },
        };
    }

    [Theory]
    [MemberData(nameof(NotAggregates))]
    public void Anything_but_a_well_formed_aggregate_passes_through_untouched(string description, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var original = (byte[])bytes.Clone();
        var data = new ReadOnlyMemory<byte>(bytes);

        var records = Deaggregator.Deaggregate(KinesisKey, data);

        var record = Assert.Single(records);
        Assert.Equal(KinesisKey, record.PartitionKey);
        Assert.Null(record.ExplicitHashKey);
        Assert.Equal(0, record.SubSequenceNumber);
        Assert.False(record.IsAggregated, description);
        Assert.True(record.Data.Equals(data), "The pass-through record must be the very same memory.");
        Assert.Equal(original, bytes);
        Assert.False(Deaggregator.IsAggregated(bytes));
    }

    [Fact]
    public void Unknown_fields_at_both_levels_and_record_tags_are_skipped()
    {
        var record = ProtoBody.Record(0, "x")
            .Message(4, new ProtoBody().Text(1, "tag-key").Text(2, "tag-value"))
            .Varint(9, 1234567)
            .Fixed64(10, ulong.MaxValue)
            .Group(11, new ProtoBody().Varint(1, 1).Group(2, new ProtoBody().Fixed32(3, 7)))
            .Bytes(12, [1, 2, 3]);
        var body = new ProtoBody()
            .Varint(20, 1)
            .Text(1, "pk")
            .Fixed32(21, 9)
            .Message(3, record)
            .Group(22, new ProtoBody().Text(1, "ignored"))
            .Bytes(2000, [9, 9])
            .ToArray();

        var decoded = Assert.Single(Deaggregator.Deaggregate(KinesisKey, Kpl.Frame(body)));

        Assert.True(decoded.IsAggregated);
        Assert.Equal("pk", decoded.PartitionKey);
        Assert.Equal("x", Encoding.UTF8.GetString(decoded.Data.Span));
    }

    [Fact]
    public void Records_before_their_tables_still_decode()
    {
        var body = new ProtoBody()
            .Message(3, ProtoBody.Record(1, "x", 0))
            .Text(2, "42")
            .Message(3, ProtoBody.Record(0, "y"))
            .Text(1, "first").Text(1, "second")
            .ToArray();

        var records = Deaggregator.Deaggregate(KinesisKey, Kpl.Frame(body));

        Assert.Equal(["second", "first"], records.Select(r => r.PartitionKey));
        Assert.Equal(["42", null], records.Select(r => r.ExplicitHashKey));
    }

    [Fact]
    public void A_repeated_singular_field_takes_its_last_value()
    {
        var record = new ProtoBody().Varint(1, 0).Bytes(3, [1]).Varint(1, 1).Bytes(3, [2]);
        var body = new ProtoBody().Text(1, "a").Text(1, "b").Message(3, record).ToArray();

        var decoded = Assert.Single(Deaggregator.Deaggregate(KinesisKey, Kpl.Frame(body)));

        Assert.Equal("b", decoded.PartitionKey);
        Assert.Equal([2], decoded.Data.ToArray());
    }

    [Fact]
    public void Invalid_UTF8_in_a_key_decodes_with_replacement_characters_as_the_KCL_does()
    {
        var body = new ProtoBody().Bytes(1, [0x61, 0xFF]).Message(3, ProtoBody.Record(0, "x")).ToArray();

        var decoded = Assert.Single(Deaggregator.Deaggregate(KinesisKey, Kpl.Frame(body)));

        Assert.True(decoded.IsAggregated);
        Assert.Equal("a\uFFFD", decoded.PartitionKey);
    }

    [Fact]
    public void Empty_data_and_empty_keys_are_legal_inside_an_aggregate()
    {
        var body = new ProtoBody().Text(1, "").Message(3, ProtoBody.Record(0, "")).ToArray();

        var decoded = Assert.Single(Deaggregator.Deaggregate(KinesisKey, Kpl.Frame(body)));

        Assert.True(decoded.IsAggregated);
        Assert.Equal("", decoded.PartitionKey);
        Assert.True(decoded.Data.IsEmpty);
    }

    [Fact]
    public void A_data_slice_of_a_larger_buffer_decodes_relative_to_the_slice()
    {
        var vector = Convert.FromHexString(Kpl.TestVectorHex);
        var padded = new byte[vector.Length + 10];
        vector.CopyTo(padded, 5);

        var records = Deaggregator.Deaggregate(KinesisKey, padded.AsMemory(5, vector.Length));

        Assert.Equal(["hello", "world", "!"], records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes);
}
