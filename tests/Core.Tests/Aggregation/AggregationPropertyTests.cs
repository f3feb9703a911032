using CsCheck;
using Google.Protobuf;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Tests.Records;
using GeneratedAggregate = Kinesis.Clients.Aggregation.Protobuf.AggregatedRecord;
using GeneratedRecord = Kinesis.Clients.Aggregation.Protobuf.Record;

namespace Kinesis.Clients.Tests.Aggregation;

public sealed class AggregationPropertyTests
{
    [Fact]
    public void Decoding_an_encoded_aggregate_gives_back_every_record_in_order()
    {
        SeededCheck.ForAll(AggregationGen.AnyRecords, records =>
        {
            var decoded = Deaggregator.Deaggregate("kinesis-key", Kpl.Encode(records));

            Assert.Equal(records.Length, decoded.Count);
            for (var i = 0; i < records.Length; i++)
            {
                Assert.Equal(records[i].PartitionKey, decoded[i].PartitionKey);
                Assert.Equal(records[i].ExplicitHashKey, decoded[i].ExplicitHashKey);
                Assert.Equal(records[i].Data, decoded[i].Data.ToArray());
                Assert.Equal(i, decoded[i].SubSequenceNumber);
                Assert.True(decoded[i].IsAggregated);
            }
        });
    }

    [Fact]
    public void SizeIfAdded_and_EncodedSize_always_equal_the_real_encoded_length()
    {
        SeededCheck.ForAll(AggregationGen.AnyRecords, records =>
        {
            using var builder = new AggregateBuilder(maxEncodedSize: 10 * 1024 * 1024);
            foreach (var record in records)
            {
                var predicted = builder.SizeIfAdded(record.PartitionKey, record.ExplicitHashKey, record.Data.Length);
                Assert.True(builder.TryAdd(record.PartitionKey, record.ExplicitHashKey, record.Data));
                Assert.Equal(predicted, builder.EncodedSize);
                Assert.Equal(builder.EncodedSize, builder.ToArray().Length);
            }
        });
    }

    [Fact]
    public void The_body_parses_with_the_generated_proto2_classes_with_every_partition_key_index_present()
    {
        SeededCheck.ForAll(AggregationGen.AnyRecords, records =>
        {
            var body = Kpl.Body(Kpl.Encode(records));

            var parsed = GeneratedAggregate.Parser.ParseFrom(body);

            Assert.Equal(records.Select(r => r.PartitionKey).Distinct(), parsed.PartitionKeyTable);
            Assert.Equal(records.Select(r => r.ExplicitHashKey).OfType<string>().Distinct(), parsed.ExplicitHashKeyTable);
            Assert.Equal(records.Length, parsed.Records.Count);
            for (var i = 0; i < records.Length; i++)
            {
                var record = parsed.Records[i];
                Assert.True(record.HasPartitionKeyIndex);
                Assert.True(record.HasData);
                Assert.Equal(records[i].ExplicitHashKey is not null, record.HasExplicitHashKeyIndex);
                Assert.Equal(records[i].PartitionKey, parsed.PartitionKeyTable[(int)record.PartitionKeyIndex]);
                Assert.Equal(records[i].Data, record.Data.ToByteArray());
                Assert.Empty(record.Tags);
            }
        });
    }

    [Fact]
    public void The_body_is_byte_for_byte_what_the_generated_classes_write()
    {
        SeededCheck.ForAll(AggregationGen.AnyRecords, records =>
        {
            var body = Kpl.Body(Kpl.Encode(records));

            Assert.Equal(Generate(records).ToByteArray(), body);
            Assert.Equal(Generate(records).CalculateSize() + 20, Kpl.Encode(records).Length);
        });
    }

    [Fact]
    public void Fields_come_in_field_number_order_at_both_levels()
    {
        SeededCheck.ForAll(AggregationGen.AnyRecords, records =>
        {
            var (topLevel, perRecord) = ReferenceDecoder.FieldOrder(Kpl.Body(Kpl.Encode(records)));

            Assert.Equal(topLevel.Order(), topLevel);
            Assert.Equal(records.Length, perRecord.Count);
            for (var i = 0; i < records.Length; i++)
            {
                uint[] expected = records[i].ExplicitHashKey is null ? [8, 26] : [8, 16, 26];
                Assert.Equal(expected, perRecord[i]);
            }
        });
    }

    [Fact]
    public void Filling_to_a_limit_never_passes_it_unless_one_record_alone_does()
    {
        var gen = Gen.Select(AggregationGen.Records, Gen.Int[21, 3000]);

        SeededCheck.ForAll(gen, sample =>
        {
            var (records, limit) = sample;
            using var builder = new AggregateBuilder(maxEncodedSize: limit);
            var aggregates = new List<List<TestRecord>>();
            var current = new List<TestRecord>();
            foreach (var record in records)
            {
                if (!builder.TryAdd(record.PartitionKey, record.ExplicitHashKey, record.Data))
                {
                    Assert.True(builder.SizeIfAdded(record.PartitionKey, record.ExplicitHashKey, record.Data.Length) > limit);
                    Check(builder, current, limit);
                    aggregates.Add(current);
                    current = [];
                    builder.Reset();
                    Assert.True(builder.TryAdd(record.PartitionKey, record.ExplicitHashKey, record.Data));
                }

                current.Add(record);
            }

            Check(builder, current, limit);
        });

        static void Check(AggregateBuilder builder, List<TestRecord> expected, int limit)
        {
            Assert.True(builder.EncodedSize <= limit || builder.Count == 1);
            var decoded = Deaggregator.Deaggregate("k", builder.ToArray());
            Assert.Equal(expected.Select(r => r.PartitionKey), decoded.Select(r => r.PartitionKey));
            Assert.Equal(expected.Count == 1 ? expected[0].Data : builder.ToArray(), builder.ToKinesisData());
        }
    }

    [Fact]
    public void Corrupted_bodies_decode_exactly_when_a_protobuf_parser_accepts_them_and_never_throw()
    {
        var gen = Gen.Select(AggregationGen.Records, Mutation.Gen.Array[1, 4]);
        var accepted = 0;
        var refused = 0;

        SeededCheck.ForAll(gen, sample =>
        {
            var (records, mutations) = sample;
            var body = Kpl.Body(Kpl.Encode(records));
            foreach (var mutation in mutations)
            {
                body = mutation.Apply(body);
            }

            var framed = Kpl.Frame(body);
            var expected = ReferenceDecoder.Decode(body);

            var decoded = Deaggregator.Deaggregate("kinesis-key", framed);

            if (expected is null)
            {
                var single = Assert.Single(decoded);
                Assert.False(single.IsAggregated);
                Assert.Equal(framed, single.Data.ToArray());
                refused++;
            }
            else
            {
                Assert.All(decoded, r => Assert.True(r.IsAggregated));
                Assert.Equal(expected, decoded.Select(r => new TestRecord(r.PartitionKey, r.ExplicitHashKey, r.Data.ToArray())), Same);
                accepted++;
            }
        }, cases: 2000);

        // Both outcomes must be common, or the corruption is not exercising the parser.
        Assert.InRange(accepted, 200, 1800);
        Assert.InRange(refused, 200, 1800);
    }

    [Fact]
    public void Any_change_to_an_aggregate_without_a_new_digest_makes_it_pass_through()
    {
        var gen = Gen.Select(AggregationGen.Records, Gen.Int[0, int.MaxValue], Gen.Byte[1, 255]);

        SeededCheck.ForAll(gen, sample =>
        {
            var (records, position, flip) = sample;
            var bytes = Kpl.Encode(records);
            bytes[position % bytes.Length] ^= flip;

            var single = Assert.Single(Deaggregator.Deaggregate("kinesis-key", bytes));

            Assert.False(single.IsAggregated);
        });
    }

    private static readonly IEqualityComparer<TestRecord> Same = EqualityComparer<TestRecord>.Create(
        (a, b) => a!.PartitionKey == b!.PartitionKey && a.ExplicitHashKey == b.ExplicitHashKey && a.Data.AsSpan().SequenceEqual(b.Data),
        r => r.PartitionKey.GetHashCode(StringComparison.Ordinal));

    private static GeneratedAggregate Generate(TestRecord[] records)
    {
        var message = new GeneratedAggregate();
        var partitionKeys = records.Select(r => r.PartitionKey).Distinct().ToList();
        var explicitHashKeys = records.Select(r => r.ExplicitHashKey).OfType<string>().Distinct().ToList();
        message.PartitionKeyTable.AddRange(partitionKeys);
        message.ExplicitHashKeyTable.AddRange(explicitHashKeys);
        foreach (var record in records)
        {
            var generated = new GeneratedRecord
            {
                PartitionKeyIndex = (ulong)partitionKeys.IndexOf(record.PartitionKey),
                Data = ByteString.CopyFrom(record.Data),
            };
            if (record.ExplicitHashKey is not null)
            {
                generated.ExplicitHashKeyIndex = (ulong)explicitHashKeys.IndexOf(record.ExplicitHashKey);
            }

            message.Records.Add(generated);
        }

        return message;
    }
}
