using System.Buffers;
using CsCheck;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Tests.Records;

namespace Kinesis.Clients.Tests.Buffers;

public sealed class PooledBufferWriterTests
{
    [Fact]
    public void Whatever_the_chunk_sizes_the_written_bytes_are_the_chunks_in_order()
    {
        SeededCheck.ForAll(Gen.Byte.Array[0, 3000].Array[0, 20], chunks =>
        {
            using var writer = new PooledBufferWriter(16);
            foreach (var chunk in chunks)
            {
                var span = writer.GetSpan(chunk.Length);
                Assert.True(span.Length >= chunk.Length);
                chunk.CopyTo(span);
                writer.Advance(chunk.Length);
            }

            Assert.Equal(chunks.SelectMany(c => c).ToArray(), writer.WrittenSpan.ToArray());
            Assert.Equal(writer.WrittenCount, writer.WrittenMemory.Length);
            Assert.Equal(writer.WrittenCount, writer.WrittenSegment.Count);
        });
    }

    [Fact]
    public void Nothing_is_rented_before_the_first_write_and_Clear_keeps_the_array()
    {
        var pool = new CountingPool();
        using var writer = new PooledBufferWriter(1000, pool);
        Assert.Equal(0, pool.Rented);

        writer.GetSpan(10)[0] = 1;
        writer.Advance(10);
        writer.Clear();
        writer.GetSpan(500);

        Assert.Equal(1, pool.Rented);
        Assert.True(pool.LastRentSize >= 1000);
        Assert.Equal(0, writer.WrittenCount);
    }

    [Fact]
    public void Growing_and_disposing_give_every_array_back_and_a_disposed_writer_can_be_written_again()
    {
        var pool = new CountingPool();
        var writer = new PooledBufferWriter(256, pool);
        writer.GetSpan(100);
        writer.Advance(100);
        writer.GetSpan(10_000);
        Assert.Equal(2, pool.Rented);
        Assert.Equal(1, pool.Returned);

        writer.Dispose();
        Assert.Equal(2, pool.Returned);
        Assert.Equal(0, writer.WrittenCount);

        writer.GetSpan(1)[0] = 7;
        writer.Advance(1);
        Assert.Equal([7], writer.WrittenSpan.ToArray());
        writer.Dispose();
        Assert.Equal(pool.Rented, pool.Returned);
    }

    [Fact]
    public void Advancing_past_the_span_or_backwards_is_refused()
    {
        using var writer = new PooledBufferWriter(256);
        var length = writer.GetSpan(1).Length;

        var error = Assert.Throws<InvalidOperationException>(() => writer.Advance(length + 1));
        Assert.Contains("past the end", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Advance(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.GetSpan(-1));
    }

    private sealed class CountingPool : ArrayPool<byte>
    {
        public int Rented { get; private set; }

        public int Returned { get; private set; }

        public int LastRentSize { get; private set; }

        public override byte[] Rent(int minimumLength)
        {
            Rented++;
            LastRentSize = minimumLength;
            return new byte[minimumLength];
        }

        public override void Return(byte[] array, bool clearArray = false) => Returned++;
    }
}
