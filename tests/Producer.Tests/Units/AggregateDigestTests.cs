using System.Security.Cryptography;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Pipeline;

namespace Kinesis.Clients.Producer.Tests.Units;

/// <summary>
/// A plain aggregate is sealed without its MD5 trailer; the sender digests a request's aggregates together before
/// their bytes go anywhere, and an aggregate decoded unsent (a failure or a re-route) is digested first.
/// </summary>
public sealed class AggregateDigestTests
{
    [Fact]
    public void A_plain_aggregate_waits_for_its_digest_until_the_sender_writes_it()
    {
        using var f = new BufferFixture();
        var items = new List<KinesisRecordItem>();
        foreach (var shard in new[] { "s1", "s2", "s3" })
        {
            var buffer = f.Buffers.GetOrCreate(shard, BufferFixture.Start);
            for (var i = 0; i < 5; i++)
            {
                f.Buffers.Add(buffer, f.Record(100 + i, i, $"key-{shard}-{i}"));
            }

            f.Buffers.Seal(buffer);
            var item = Assert.Single(buffer.Ready);
            Assert.True(item.DigestPending);
            Scribble(item);
            items.Add(item);
        }

        KinesisRecordItem.CompleteDigests(items);

        foreach (var item in items)
        {
            Assert.False(item.DigestPending);
            Assert.True(DigestIsRight(item));
            Assert.Equal(5, Deaggregator.Deaggregate("a", item.Data).Count(r => r.IsAggregated));
        }
    }

    [Fact]
    public void An_aggregate_taken_apart_unsent_is_digested_before_it_is_decoded()
    {
        using var f = new BufferFixture();
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        var run = new UserRecord(
            f.Stream, "k", null, "onetwo"u8, 7, BufferFixture.At(0), new FlushEpoch(null), awaited: false, lengths: [3, 3]);
        f.Buffers.Add(buffer, run);
        f.Buffers.Add(buffer, f.Record(10, 1));
        f.Buffers.Seal(buffer);
        var item = buffer.Ready.Peek();
        Scribble(item);

        item.RestoreRunData();

        Assert.False(item.DigestPending);
        Assert.True(DigestIsRight(item));
        Assert.Equal("onetwo"u8.ToArray(), run.Data.ToArray());
    }

    [Fact]
    public void A_compressed_aggregate_and_a_lone_record_are_never_left_waiting_for_a_digest()
    {
        using var compressed = new BufferFixture(new KinesisProducerOptions { Compression = RecordCompression.Zstd() });
        var buffer = compressed.Buffers.GetOrCreate("s1", BufferFixture.Start);
        for (var i = 0; i < 20; i++)
        {
            compressed.Buffers.Add(buffer, compressed.Record(200, i));
        }

        compressed.Buffers.Seal(buffer);
        compressed.Buffers.Add(buffer, compressed.Record(5, 30));
        compressed.Buffers.Seal(buffer);

        Assert.All(buffer.Ready, item => Assert.False(item.DigestPending));
        Assert.True(buffer.Ready.Peek().IsEnvelope);
    }

    // The pooled array may hold an earlier aggregate's bytes where the digest goes: make sure it does not match.
    private static void Scribble(KinesisRecordItem item) =>
        System.Runtime.InteropServices.MemoryMarshal.AsMemory(item.Data).Span[^16..].Fill(0x5A);

#pragma warning disable CA5351 // The KPL format's checksum, checked as the consumer checks it.
    private static bool DigestIsRight(KinesisRecordItem item) =>
        MD5.HashData(item.Data.Span[4..^16]).AsSpan().SequenceEqual(item.Data.Span[^16..]);
#pragma warning restore CA5351
}
