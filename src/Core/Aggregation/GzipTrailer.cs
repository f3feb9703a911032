using System.Buffers.Binary;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// Checks a gzip member's trailer (CRC-32 and length of the data, RFC 1952) against the decoded data.
/// <c>GZipStream</c> ends quietly when the input stops inside the trailer, so a truncated payload would otherwise
/// decode as if whole.
/// </summary>
internal static class GzipTrailer
{
    private const int Length = 8;

    private static readonly uint[] Table = BuildTable();

    public static bool Matches(ReadOnlySpan<byte> payload, ReadOnlySpan<byte> decoded) =>
        payload.Length >= Length
        && BinaryPrimitives.ReadUInt32LittleEndian(payload[^4..]) == (uint)decoded.Length
        && BinaryPrimitives.ReadUInt32LittleEndian(payload[^8..]) == Crc32(decoded);

    // The CRC-32 of gzip and zlib (reflected polynomial 0xEDB88320), a byte at a time: gzip is the slow choice anyway.
    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
