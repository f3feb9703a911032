using System.Collections.Concurrent;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Pipeline;

namespace Kinesis.Clients.Producer.Tests.Units;

/// <summary>
/// Records nobody watches wait in the inbox with their data in shared, pooled chunks: written from many threads at
/// once, each entry reads back as it was written, and a chunk goes back to the pool exactly when it is full and all of
/// its bytes have been read.
/// </summary>
public sealed class InboxDataTests
{
    [Fact]
    public async Task Entries_written_from_many_threads_read_back_whole_and_every_full_chunk_returns_once()
    {
        using var f = new BufferFixture();
        var inbox = new InboxData(f.Stream);
        var epoch = new FlushEpoch(null);
        var entries = new BlockingCollection<(InboxEntry Entry, byte[] Expected)>();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            for (var i = 0; i < 20_000; i++)
            {
                // Mostly small records, some of the largest size, some empty.
                var length = random.Next(10) switch { 0 => 0, 1 => InboxData.MaxEntryLength, _ => random.Next(1, 300) };
                var data = new byte[length];
                random.NextBytes(data);
                entries.Add((inbox.Write($"w{w}", null, data, length + 2, epoch), data));
            }
        })).ToArray();
        var chunks = new HashSet<InboxChunk>();
        var reader = Task.Run(() =>
        {
            foreach (var (entry, expected) in entries.GetConsumingEnumerable())
            {
                Assert.Equal(expected, entry.Data.ToArray());
                chunks.Add(entry.Chunk);
                entry.Release();
            }
        });

        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
        entries.CompleteAdding();
        await reader.WaitAsync(TimeSpan.FromSeconds(60));

        // 80,000 records of ~2 KiB on average fill dozens of 256 KiB chunks; all but the one still taking writes are back.
        Assert.True(chunks.Count > 10, $"{chunks.Count} chunks");
        Assert.Equal(chunks.Count - 1, chunks.Count(c => c.IsReturned));
    }

    [Fact]
    public void An_entry_made_into_a_user_record_keeps_its_data_after_its_chunk_returns()
    {
        using var f = new BufferFixture();
        var inbox = new InboxData(f.Stream);
        var epoch = new FlushEpoch(null);
        var first = inbox.Write("k", "123", "kept"u8, 5, epoch);
        var record = first.ToRecord(7);
        first.Release();

        // Fill the chunk to its end, reading every entry: it goes back to the pool.
        var filler = new byte[InboxData.MaxEntryLength];
        InboxEntry entry;
        do
        {
            Assert.False(first.Chunk.IsReturned);
            entry = inbox.Write("k", null, filler, filler.Length + 1, epoch);
            if (ReferenceEquals(entry.Chunk, first.Chunk))
            {
                entry.Release();
            }
        }
        while (ReferenceEquals(entry.Chunk, first.Chunk));

        Assert.True(first.Chunk.IsReturned);
        Assert.Equal("kept"u8.ToArray(), record.Data.ToArray());
        Assert.Equal(("k", "123", 5, 7L), (record.PartitionKey, record.ExplicitHashKey, record.Size, record.AcceptedAt));
        Assert.Same(epoch, record.Epoch);
        Assert.True(record.IsUnobserved);
    }
}
