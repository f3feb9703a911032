using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Pipeline;

namespace Kinesis.Clients.Producer.Tests.Units;

/// <summary>
/// Runs sealed into a plain aggregate give their own copy of the data up (the aggregate holds the same bytes) and get
/// it back, decoded, before they leave the aggregate unsent: nothing a failure or a re-route hands on may differ.
/// </summary>
public sealed class ShardBuffersRunDataTests
{
    [Fact]
    public void Runs_in_a_sealed_aggregate_give_their_data_up_and_get_it_back_whole_when_their_shard_closes()
    {
        using var f = new BufferFixture();
        var first = Run(f, 0, "first|", "", "third");
        var lone = f.Record(10, 1);
        var second = Run(f, 2, "a", "bb", new string('c', 300));
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        foreach (var record in new[] { first.Record, lone, second.Record })
        {
            f.Buffers.Add(buffer, record);
        }

        f.Buffers.Seal(buffer);

        var item = Assert.Single(buffer.Ready);
        Assert.True(item.HoldsRunData);
        Assert.True(first.Record.HasGivenUpData && second.Record.HasGivenUpData);
        Assert.Throws<InvalidOperationException>(() => first.Record.Data);
        Assert.Equal(10, lone.Data.Length);
        Assert.Equal(first.Data.Length, first.Record.DataLength);

        var moved = f.Buffers.RemoveClosed(_ => false);

        Assert.Equal([first.Record, lone, second.Record], moved);
        Assert.Equal(first.Data, first.Record.Data.ToArray());
        Assert.Equal(second.Data, second.Record.Data.ToArray());
        Assert.False(first.Record.HasGivenUpData);

        // Routed again, they aggregate as before: the new aggregate decodes to the same records.
        var again = f.Buffers.GetOrCreate("s2", BufferFixture.Start);
        moved!.ForEach(record => f.Buffers.Add(again, record));
        f.Buffers.Seal(again);
        var decoded = Deaggregator.Deaggregate("a", again.Ready.Peek().Data).Select(r => Encoding.UTF8.GetString(r.Data.Span));
        Assert.Equal(["first|", "", "third", new string('\0', 10), "a", "bb", new string('c', 300)], decoded);
    }

    [Fact]
    public void A_ready_aggregate_restores_only_the_runs_not_completed_and_only_once()
    {
        using var f = new BufferFixture();
        var done = Run(f, 0, "done", "already");
        var open = Run(f, 1, "still", "pending");
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        f.Buffers.Add(buffer, done.Record);
        f.Buffers.Add(buffer, open.Record);
        f.Buffers.Seal(buffer);
        var item = buffer.Ready.Peek();
        Assert.True(done.Record.TrySucceed("s1", "1", 0, aggregated: true, item.Attempts));

        item.RestoreRunData();
        item.RestoreRunData();

        Assert.Equal(open.Data, open.Record.Data.ToArray());
        Assert.True(done.Record.HasGivenUpData);
    }

    [Fact]
    public void Runs_keep_their_data_when_the_aggregate_is_compressed_or_will_be_encrypted()
    {
        using var compressed = new BufferFixture(new KinesisProducerOptions { Compression = RecordCompression.Zstd() });
        using var plain = new BufferFixture();
        using var encrypted = new ShardBuffers(plain.Options, BufferFixture.Ticks(plain.Options.RecordMaxBufferedTime), BufferFixture.Frequency, encryptionReserve: 300);
        var lines = Enumerable.Repeat("the same line compresses well ", 40).ToArray();
        var zipped = Run(compressed, 0, lines);
        var sealedForEncryption = Run(plain, 0, lines);

        var zipBuffer = compressed.Buffers.GetOrCreate("s1", BufferFixture.Start);
        compressed.Buffers.Add(zipBuffer, zipped.Record);
        compressed.Buffers.Add(zipBuffer, compressed.Record(5, 1));
        compressed.Buffers.Seal(zipBuffer);
        var encBuffer = encrypted.GetOrCreate("s1", BufferFixture.Start);
        encrypted.Add(encBuffer, sealedForEncryption.Record);
        encrypted.Add(encBuffer, plain.Record(5, 1));
        encrypted.Seal(encBuffer);

        Assert.True(zipBuffer.Ready.Peek().IsEnvelope);
        Assert.False(zipBuffer.Ready.Peek().HoldsRunData);
        Assert.Equal(zipped.Data, zipped.Record.Data.ToArray());
        Assert.False(encBuffer.Ready.Peek().HoldsRunData);
        Assert.Equal(sealedForEncryption.Data, sealedForEncryption.Record.Data.ToArray());
        encrypted.FailAll("TestOver", "The test is over.");
    }

    private static (UserRecord Record, byte[] Data) Run(BufferFixture f, double acceptedAtMs, params string[] records)
    {
        var data = Encoding.UTF8.GetBytes(string.Concat(records));
        var lengths = records.Select(r => Encoding.UTF8.GetByteCount(r)).ToArray();
        var record = new UserRecord(
            f.Stream, "k", null, data, data.Length + 1, BufferFixture.At(acceptedAtMs), new FlushEpoch(null), awaited: false, lengths: lengths);
        return (record, data);
    }
}
