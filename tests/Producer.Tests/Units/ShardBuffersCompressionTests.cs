using System.Globalization;
using System.Text;
using CsCheck;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Pipeline;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class ShardBuffersCompressionTests
{
    private const int MaxSize = 51_200;

    [Fact]
    public void Compressed_aggregates_decode_to_the_records_in_order_and_carry_several_times_more_of_them()
    {
        using var plain = new BufferFixture(new KinesisProducerOptions());
        using var zstd = new BufferFixture(new KinesisProducerOptions { Compression = RecordCompression.Zstd() });
        var lines = Enumerable.Range(0, 80_000).Select(LogLine).ToArray();

        var plainItems = AddAll(plain, lines);
        var zstdItems = AddAll(zstd, lines);

        Assert.Equal(lines, zstdItems.SelectMany(Decode));
        Assert.All(zstdItems, item => Assert.True(item.Data.Length <= MaxSize, $"{item.Data.Length} bytes"));
        Assert.All(zstdItems, item => Assert.True(RecordCodec.IsEnveloped(item.Data.Span)));
        var plainPerRecord = lines.Length / (double)plainItems.Count;
        var zstdPerRecord = lines.Length / (double)zstdItems.Count;
        Assert.True(zstdPerRecord > 4 * plainPerRecord, $"{zstdPerRecord:F0} user records per Kinesis record, {plainPerRecord:F0} without compression");

        // The estimate was corrected after the first aggregates: the later ones come close to the limit.
        var later = zstdItems.Skip(3).SkipLast(1).ToList();
        Assert.True(later.Count >= 3, $"{zstdItems.Count} Kinesis records");
        Assert.True(later.Average(i => i.Data.Length) > 0.75 * MaxSize, $"{later.Average(i => i.Data.Length):F0} bytes on average");
    }

    [Fact]
    public void Data_that_does_not_shrink_goes_out_as_it_is()
    {
        using var f = new BufferFixture(new KinesisProducerOptions { Compression = RecordCompression.Gzip() });
        var random = new Random(7);
        var records = Enumerable.Range(0, 3).Select(_ =>
        {
            var data = new byte[2000];
            random.NextBytes(data);
            return data;
        }).ToArray();

        var items = AddAll(f, records);

        var item = Assert.Single(items);
        Assert.False(RecordCodec.IsEnveloped(item.Data.Span));
        Assert.True(Deaggregator.IsAggregated(item.Data.Span));
    }

    [Fact]
    public void Without_aggregation_a_record_is_compressed_on_its_own()
    {
        using var f = new BufferFixture(new KinesisProducerOptions { AggregationEnabled = false, Compression = RecordCompression.Zstd() });
        var line = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 30).Select(LogLine)));

        var item = Assert.Single(AddAll(f, [line]));

        Assert.True(item.Data.Length < line.Length / 3);
        Assert.Equal(line, RecordCodec.Decode(item.Data).ToArray());
        Assert.Equal(line.Length, item.UserDataBytes);
        Assert.Equal(item.Data.Length + 1, item.Size);
    }

    [Fact]
    public void A_compressed_aggregate_never_exceeds_the_limit_whatever_the_mix_of_data()
    {
        // Runs of text and of random bytes switch the ratio under the estimate, so some aggregates overshoot and are split.
        var chunk = Gen.Select(Gen.Bool, Gen.Int[1, 400], Gen.Int[20, 3000], (text, count, size) => (text, count, size));
        SeededCheck.ForAll(chunk.Array[1, 6], chunks =>
        {
            using var f = new BufferFixture(new KinesisProducerOptions { Compression = RecordCompression.Zstd(1), AggregationMaxSize = 8192 });
            var random = new Random(chunks.Length);
            var records = chunks.SelectMany(c => Enumerable.Range(0, c.count).Select(i =>
            {
                if (c.text)
                {
                    return Encoding.UTF8.GetBytes(LogLine(i))[..Math.Min(c.size, 90)];
                }

                var bytes = new byte[c.size];
                random.NextBytes(bytes);
                return bytes;
            })).ToArray();

            var items = AddAll(f, records);

            // Compared span by span: the collection form of Assert.Equal boxes every byte, most of this test's time.
            var decoded = items.SelectMany(Decode).Select(s => Encoding.Latin1.GetBytes(s)).ToList();
            Assert.Equal(records.Length, decoded.Count);
            for (var i = 0; i < records.Length; i++)
            {
                Assert.True(records[i].AsSpan().SequenceEqual(decoded[i]), $"Record {i} of {records.Length} differs after the round trip.");
            }

            Assert.All(items, item => Assert.True(item.Data.Length <= 8192 || item.Records.Length == 1, $"{item.Data.Length} bytes, {item.Records.Length} records"));
        }, cases: 40);
    }

    private static string LogLine(int i) => string.Create(CultureInfo.InvariantCulture,
        $"2026-12-07T09:{i / 3600 % 60:00}:{i / 60 % 60:00}.{i % 1000:000}Z INFO  [worker-{i % 8}] c.e.orders.OrderService - order {100_000 + (i * 7)} accepted for customer {i * 31 % 9973} in {i % 250} ms\n");

    private static List<KinesisRecordItem> AddAll(BufferFixture f, IEnumerable<string> lines) =>
        AddAll(f, lines.Select(Encoding.UTF8.GetBytes));

    private static List<KinesisRecordItem> AddAll(BufferFixture f, IEnumerable<byte[]> datas)
    {
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        foreach (var data in datas)
        {
            f.Buffers.Add(buffer, new UserRecord(f.Stream, "k", null, data, data.Length + 1, BufferFixture.Start, new FlushEpoch(null), awaited: false));
        }

        f.Buffers.SealDue(BufferFixture.Start, all: true);
        var items = new List<KinesisRecordItem>();
        while (buffer.Ready.Count > 0)
        {
            items.Add(f.Buffers.TakeReady(buffer));
        }

        return items;
    }

    // Latin-1 keeps arbitrary bytes one char each, so text and random data compare alike.
    private static IEnumerable<string> Decode(KinesisRecordItem item) =>
        Deaggregator.Deaggregate(item.PartitionKey, item.Data).Select(r => Encoding.Latin1.GetString(r.Data.Span));
}
