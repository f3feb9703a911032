using System.Buffers;
using System.Text;
using CsCheck;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Tests.Records;

public sealed class MultiBufferMd5Tests
{
    // Lengths around the padding's edges: a tail of 55 bytes still fits one block, 56 needs two.
    private static readonly int[] EdgeLengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129];

    /// <summary>Every engine: Auto as users get it, each lane width forced, and the platform MD5 alone.</summary>
    public static TheoryData<string> Widths => new() { "Auto", "Scalar", "Vector128", "Vector256", "Vector256Avx512", "Vector512" };

    [Theory]
    [MemberData(nameof(Widths))]
    public void HashData_matches_the_RFC_1321_test_suite_in_one_batch(string width)
    {
        string[] messages =
        [
            "", "a", "abc", "message digest", "abcdefghijklmnopqrstuvwxyz",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
        ];
        string[] expected =
        [
            "d41d8cd98f00b204e9800998ecf8427e", "0cc175b9c0f1b6a831c399e269772661", "900150983cd24fb0d6963f7d28e17f72",
            "f96b697d7cb7938d525a2f31aaf161d0", "c3fcd3d76192e4007dfb496cca67e13b", "d174ab98d277d9f5a5611c2c9f419d9f",
            "57edf4a22be3c955ac49da2e2107b67a",
        ];
        var inputs = messages.Select(m => (ReadOnlyMemory<byte>)Encoding.ASCII.GetBytes(m)).ToArray();

        var digests = Hash(inputs, width);

        Assert.Equal(expected, Enumerable.Range(0, inputs.Length).Select(i => Convert.ToHexStringLower(digests.AsSpan(i * 16, 16))));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void HashData_matches_the_platform_MD5_at_every_length_from_0_to_300_in_one_batch(string width)
    {
        var inputs = Enumerable.Range(0, 301).Select(length => (ReadOnlyMemory<byte>)Filled(length, length)).ToArray();

        AssertDigests(inputs, Hash(inputs, width));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void HashData_matches_the_platform_MD5_on_random_batches(string width)
    {
        var length = Gen.Frequency(
            (3, Gen.Int[0, EdgeLengths.Length - 1].Select(i => EdgeLengths[i])),
            (3, Gen.Int[0, 300]),
            (2, Gen.Int[300, 6_000]),
            (1, Gen.Int[40_000, 60_000]));
        // Each input is a slice of a larger array (offset and slack), so lanes read at any alignment and never past the end.
        var input = Gen.Select(length, Gen.Int[0, 9], Gen.Int[0, 9], Gen.Int, (len, offset, slack, seed) =>
            (ReadOnlyMemory<byte>)Filled(offset + len + slack, seed).AsMemory(offset, len));
        var batch = input.Array[0, 40];

        SeededCheck.ForAll(batch, inputs => AssertDigests(inputs, Hash(inputs, width)), cases: 100);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void HashData_keeps_the_lanes_right_when_lengths_differ_widely(string width)
    {
        // One long buffer with many short ones: the short ones pass through the other lanes while it runs.
        var inputs = new List<ReadOnlyMemory<byte>> { Filled((1024 * 1024) + 17, 1) };
        inputs.AddRange(Enumerable.Range(0, 200).Select(i => (ReadOnlyMemory<byte>)Filled(EdgeLengths[i % EdgeLengths.Length] + (i / 13 * 64), i)));
        inputs.Add(Filled(300_000, 2));
        inputs.Add(Filled(51_200, 3));

        AssertDigests([.. inputs], Hash([.. inputs], width));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void HashData_hashes_thousands_of_inputs(string width)
    {
        var inputs = Enumerable.Range(0, 3_000).Select(i => (ReadOnlyMemory<byte>)Filled((i * 37) % 700, i)).ToArray();

        AssertDigests(inputs, Hash(inputs, width));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void HashData_hashes_memory_that_is_not_an_array(string width)
    {
        // Short ones go through the lanes' tail blocks; long ones have no array to read in place.
        ReadOnlyMemory<byte>[] inputs =
        [
            Filled(5_000, 1), new OpaqueMemory(Filled(63, 2)).Memory, new OpaqueMemory(Filled(5_000, 3)).Memory,
            Filled(64, 4), new OpaqueMemory(Filled(0, 5)).Memory, new OpaqueMemory(Filled(64, 6)).Memory, Filled(1, 7),
        ];

        AssertDigests(inputs, Hash(inputs, width));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void HashData_with_no_inputs_writes_nothing(string width)
    {
        var digests = Enumerable.Repeat((byte)0xAB, 32).ToArray();

        MultiBufferMd5.HashData([], digests, Enum.Parse<Md5LaneWidth>(width));

        Assert.All(digests, b => Assert.Equal(0xAB, b));
    }

    [Theory]
    [InlineData(new[] { 100 }, true)]
    [InlineData(new[] { 511 }, true)]
    [InlineData(new[] { 512 }, false)]
    [InlineData(new[] { 51_200 }, false)]
    [InlineData(new[] { 51_200, 51_200 }, true)]
    [InlineData(new[] { 51_200, 1_000 }, false)]
    [InlineData(new[] { 30_000, 10_000 }, false)]
    [InlineData(new[] { 29_999, 10_000 }, true)]
    [InlineData(new[] { 51_200, 40_000, 300, 0 }, true)]
    public void Lanes_are_chosen_unless_one_long_buffer_is_three_quarters_of_the_bytes(int[] lengths, bool lanes)
    {
        var inputs = lengths.Select(length => (ReadOnlyMemory<byte>)new byte[length]).ToArray();

        Assert.Equal(lanes, MultiBufferMd5.LanesPay(inputs));
    }

    [Fact]
    public void HashData_leaves_the_bytes_after_the_last_digest_alone()
    {
        ReadOnlyMemory<byte>[] inputs = [Filled(100, 1), Filled(200, 2), Filled(300, 3)];
        var digests = Enumerable.Repeat((byte)0xAB, (16 * inputs.Length) + 5).ToArray();

        MultiBufferMd5.HashData(inputs, digests);

        AssertDigests(inputs, digests[..(16 * inputs.Length)]);
        Assert.All(digests[(16 * inputs.Length)..], b => Assert.Equal(0xAB, b));
    }

    [Fact]
    public void HashData_writes_each_digest_into_the_slot_after_its_body()
    {
        // The KPL layout: magic, body, then the body's MD5 in the same array.
        var aggregates = Enumerable.Range(0, 20).Select(i => Filled(4 + (i * 2_700) + 16, i)).ToArray();
        var bodies = aggregates.Select(a => (ReadOnlyMemory<byte>)a.AsMemory(4, a.Length - 20)).ToArray();
        var slots = aggregates.Select(a => a.AsMemory(a.Length - 16)).ToArray();

        MultiBufferMd5.HashData(bodies, slots);

        Assert.All(aggregates, a => Assert.Equal(Md5.Of(a.AsSpan(4, a.Length - 20)), a[^16..]));
    }

    [Fact]
    public void HashData_reads_every_input_before_writing_a_destination_that_overlaps_one()
    {
        // Each digest lands on the start of the next input, which must still be hashed as it was.
        var bytes = Filled(3 * 1_000, 9);
        var expected = Enumerable.Range(0, 3).Select(i => Md5.Of(bytes.AsSpan(i * 1_000, 1_000))).ToArray();
        ReadOnlyMemory<byte>[] inputs = [bytes.AsMemory(0, 1_000), bytes.AsMemory(1_000, 1_000), bytes.AsMemory(2_000, 1_000)];
        Memory<byte>[] destinations = [bytes.AsMemory(1_000, 16), bytes.AsMemory(2_000, 16), bytes.AsMemory(0, 16)];

        MultiBufferMd5.HashData(inputs, destinations);

        Assert.Equal(expected[0], bytes[1_000..1_016]);
        Assert.Equal(expected[1], bytes[2_000..2_016]);
        Assert.Equal(expected[2], bytes[..16]);
    }

    [Fact]
    public void HashData_refuses_digests_shorter_than_16_bytes_per_input()
    {
        ReadOnlyMemory<byte>[] inputs = [Filled(10, 1), Filled(20, 2)];

        var error = Assert.Throws<ArgumentException>(() => MultiBufferMd5.HashData(inputs, new byte[31]));

        Assert.Equal("digests", error.ParamName);
        Assert.Contains("2 inputs need 32 bytes, it has 31", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HashData_refuses_a_destination_count_other_than_the_input_count()
    {
        ReadOnlyMemory<byte>[] inputs = [Filled(10, 1), Filled(20, 2)];

        var error = Assert.Throws<ArgumentException>(() => MultiBufferMd5.HashData(inputs, [new byte[16]]));

        Assert.Equal("destinations", error.ParamName);
        Assert.Contains("2 inputs, 1 destinations", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HashData_refuses_a_destination_shorter_than_a_digest()
    {
        ReadOnlyMemory<byte>[] inputs = [Filled(10, 1), Filled(20, 2)];

        var error = Assert.Throws<ArgumentException>(() => MultiBufferMd5.HashData(inputs, [new byte[16], new byte[15]]));

        Assert.Equal("destinations", error.ParamName);
        Assert.Contains("Destination 1 must hold a 16-byte digest; it has 15 bytes", error.Message, StringComparison.Ordinal);
    }

    private static byte[] Hash(ReadOnlyMemory<byte>[] inputs, string width)
    {
        var digests = new byte[inputs.Length * 16];
        MultiBufferMd5.HashData(inputs, digests, Enum.Parse<Md5LaneWidth>(width));
        return digests;
    }

    private static void AssertDigests(ReadOnlyMemory<byte>[] inputs, byte[] digests)
    {
        for (var i = 0; i < inputs.Length; i++)
        {
            var expected = Md5.Of(inputs[i].Span);
            var actual = digests.AsSpan(i * 16, 16).ToArray();
            Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"input {i} of {inputs.Length} ({inputs[i].Length} bytes): expected {Convert.ToHexStringLower(expected)}, got {Convert.ToHexStringLower(actual)}");
        }
    }

    private static byte[] Filled(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Memory from a <see cref="MemoryManager{T}"/> that does not reveal an array, as native memory would.</summary>
    private sealed class OpaqueMemory(byte[] bytes) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => bytes;

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException("Not pinned in these tests.");

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
