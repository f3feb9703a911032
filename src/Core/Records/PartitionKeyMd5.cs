using System.Buffers.Binary;
using System.Numerics;

namespace Kinesis.Clients.Records;

/// <summary>
/// MD5 (RFC 1321) of a short input, returned as the unsigned big-endian 128-bit integer Kinesis calls a hash key.
/// </summary>
/// <remarks>
/// Hashing a partition key happens for every user record (to pick its shard), and partition keys are a few dozen
/// bytes. For inputs that small the platform's MD5 spends most of its time crossing into OpenSSL — about 700 ns
/// against under 200 ns here — and it throws outright where OpenSSL runs in FIPS mode, although this MD5 is a
/// routing function, not a security one. Long inputs (aggregate checksums) go to the platform's MD5, or to
/// <see cref="MultiBufferMd5"/> when there are many at once.
/// </remarks>
internal static class PartitionKeyMd5
{
    private const int BlockSize = 64;

    public static UInt128 Hash(ReadOnlySpan<byte> data)
    {
        var state = new State(0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476);
        var full = data.Length & ~(BlockSize - 1);
        for (var offset = 0; offset < full; offset += BlockSize)
        {
            Compress(ref state, data.Slice(offset, BlockSize));
        }

        // Padding: 0x80, zeros, then the bit length as 64-bit little-endian, filling one or two final blocks.
        Span<byte> tail = stackalloc byte[2 * BlockSize];
        tail.Clear();
        var remainder = data.Length - full;
        data[full..].CopyTo(tail);
        tail[remainder] = 0x80;
        var tailLength = remainder < BlockSize - 8 ? BlockSize : 2 * BlockSize;
        BinaryPrimitives.WriteUInt64LittleEndian(tail[(tailLength - 8)..], (ulong)data.Length * 8);
        Compress(ref state, tail[..BlockSize]);
        if (tailLength > BlockSize)
        {
            Compress(ref state, tail.Slice(BlockSize, BlockSize));
        }

        // The digest is A, B, C, D little-endian; Kinesis reads those 16 bytes big-endian.
        var high = ((ulong)BinaryPrimitives.ReverseEndianness(state.A) << 32) | BinaryPrimitives.ReverseEndianness(state.B);
        var low = ((ulong)BinaryPrimitives.ReverseEndianness(state.C) << 32) | BinaryPrimitives.ReverseEndianness(state.D);
        return new UInt128(high, low);
    }

    private static void Compress(ref State state, ReadOnlySpan<byte> block)
    {
        Span<uint> m = stackalloc uint[16];
        for (var i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(i * 4)..]);
        }

        var k = Constants;
        var s = Shifts;
        uint a = state.A, b = state.B, c = state.C, d = state.D;
        for (var i = 0; i < 16; i++)
        {
            Step(ref a, ref b, ref c, ref d, ((b & c) | (~b & d)) + k[i] + m[i], s[i]);
        }

        for (var i = 16; i < 32; i++)
        {
            Step(ref a, ref b, ref c, ref d, ((d & b) | (~d & c)) + k[i] + m[((5 * i) + 1) & 15], s[i]);
        }

        for (var i = 32; i < 48; i++)
        {
            Step(ref a, ref b, ref c, ref d, (b ^ c ^ d) + k[i] + m[((3 * i) + 5) & 15], s[i]);
        }

        for (var i = 48; i < 64; i++)
        {
            Step(ref a, ref b, ref c, ref d, (c ^ (b | ~d)) + k[i] + m[(7 * i) & 15], s[i]);
        }

        state = new State(state.A + a, state.B + b, state.C + c, state.D + d);
    }

    private static void Step(ref uint a, ref uint b, ref uint c, ref uint d, uint mixed, int shift)
    {
        var rotated = b + BitOperations.RotateLeft(a + mixed, shift);
        a = d;
        d = c;
        c = b;
        b = rotated;
    }

    private static ReadOnlySpan<uint> Constants =>
    [
        0xD76AA478, 0xE8C7B756, 0x242070DB, 0xC1BDCEEE, 0xF57C0FAF, 0x4787C62A, 0xA8304613, 0xFD469501,
        0x698098D8, 0x8B44F7AF, 0xFFFF5BB1, 0x895CD7BE, 0x6B901122, 0xFD987193, 0xA679438E, 0x49B40821,
        0xF61E2562, 0xC040B340, 0x265E5A51, 0xE9B6C7AA, 0xD62F105D, 0x02441453, 0xD8A1E681, 0xE7D3FBC8,
        0x21E1CDE6, 0xC33707D6, 0xF4D50D87, 0x455A14ED, 0xA9E3E905, 0xFCEFA3F8, 0x676F02D9, 0x8D2A4C8A,
        0xFFFA3942, 0x8771F681, 0x6D9D6122, 0xFDE5380C, 0xA4BEEA44, 0x4BDECFA9, 0xF6BB4B60, 0xBEBFBC70,
        0x289B7EC6, 0xEAA127FA, 0xD4EF3085, 0x04881D05, 0xD9D4D039, 0xE6DB99E5, 0x1FA27CF8, 0xC4AC5665,
        0xF4292244, 0x432AFF97, 0xAB9423A7, 0xFC93A039, 0x655B59C3, 0x8F0CCC92, 0xFFEFF47D, 0x85845DD1,
        0x6FA87E4F, 0xFE2CE6E0, 0xA3014314, 0x4E0811A1, 0xF7537E82, 0xBD3AF235, 0x2AD7D2BB, 0xEB86D391,
    ];

    private static ReadOnlySpan<byte> Shifts =>
    [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];

    private readonly record struct State(uint A, uint B, uint C, uint D);
}
