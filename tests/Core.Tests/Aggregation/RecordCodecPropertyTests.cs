using System.Text;
using CsCheck;
using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Tests.Aggregation;

public sealed class RecordCodecPropertyTests
{
    private static readonly Gen<RecordCompression> Compression = Gen.Frequency(
        (1, Gen.Const(RecordCompression.None)),
        (2, Gen.Int[1, 9].Select(RecordCompression.Gzip)),
        (3, Gen.Int[1, 19].Select(RecordCompression.Zstd)));

    private static readonly Gen<RecordCompression> Compressing = Compression.Where(c => c.IsEnabled);

    // Random bytes do not compress; text lines do, as log records do.
    private static readonly Gen<byte[]> Data = Gen.Frequency(
        (2, Gen.Byte.Array[0, 2000]),
        (3, Gen.String[Gen.Char["abc /:-0123456789GETPOST\n"], 0, 20_000].Select(Encoding.UTF8.GetBytes)));

    [Fact]
    public void Every_envelope_decodes_to_the_original_bytes()
    {
        SeededCheck.ForAll(Gen.Select(Data, Compression), t =>
        {
            var (data, compression) = t;
            var envelope = RecordCodec.Encode(data, compression);

            Assert.True(envelope.Length <= RecordCodec.GetMaxEncodedLength(data.Length, compression.Algorithm));
            Assert.Equal(RecordDecodeStatus.Decoded, RecordCodec.TryDecode(envelope, out var decoded));
            Assert.Equal(data, decoded.ToArray());
        });
    }

    [Fact]
    public void A_compressed_aggregate_deaggregates_to_the_same_user_records()
    {
        SeededCheck.ForAll(Gen.Select(AggregationGen.AnyRecords, Compression), t =>
        {
            var (records, compression) = t;
            var aggregate = Kpl.Encode(records);
            var plain = Deaggregator.Deaggregate("kinesis-key", aggregate);
            var decoded = new List<DeaggregatedRecord>();

            Deaggregator.DeaggregateInto("kinesis-key", RecordCodec.Encode(aggregate, compression), decoded, out var status);

            Assert.Equal(RecordDecodeStatus.Decoded, status);
            Assert.Equal(plain.Count, decoded.Count);
            for (var i = 0; i < plain.Count; i++)
            {
                Assert.Equal(plain[i].PartitionKey, decoded[i].PartitionKey);
                Assert.Equal(plain[i].ExplicitHashKey, decoded[i].ExplicitHashKey);
                Assert.Equal(plain[i].Data.ToArray(), decoded[i].Data.ToArray());
                Assert.Equal(plain[i].SubSequenceNumber, decoded[i].SubSequenceNumber);
            }
        }, cases: 100);
    }

    [Fact]
    public void A_truncated_envelope_is_corrupt_and_passed_through()
    {
        SeededCheck.ForAll(Gen.Select(Data, Compression, Gen.Int[0, int.MaxValue]), t =>
        {
            var (data, compression, cut) = t;
            var envelope = RecordCodec.Encode(data, compression);
            var truncated = envelope[..(cut % envelope.Length)];

            var status = RecordCodec.TryDecode(truncated, out var decoded);

            Assert.Equal(truncated.Length < 4 ? RecordDecodeStatus.NotEnveloped : RecordDecodeStatus.Corrupt, status);
            Assert.Equal(truncated, decoded.ToArray());
        });
    }

    [Fact]
    public void A_damaged_compressed_envelope_never_throws_and_never_decodes_to_other_bytes()
    {
        SeededCheck.ForAll(Gen.Select(Data, Compressing, Mutation.Gen), t =>
        {
            var (data, compression, mutation) = t;
            var damaged = mutation.Apply(RecordCodec.Encode(data, compression));

            var status = RecordCodec.TryDecode(damaged, out var decoded);

            if (status == RecordDecodeStatus.Decoded)
            {
                Assert.Equal(data, decoded.ToArray());
            }
            else
            {
                Assert.Equal(damaged, decoded.ToArray());
            }

            var users = new List<DeaggregatedRecord>();
            Deaggregator.DeaggregateInto("key", damaged, users, out _);
            Assert.NotEmpty(users);
        }, cases: 400);
    }
}
