using System.Buffers.Binary;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// Constants of the record envelope (README.md, "Record envelope"): magic, version, algorithm, flags, the
/// original length as a big-endian 32-bit integer, then the payload.
/// </summary>
internal static class EnvelopeFormat
{
    public const int MagicLength = 4;
    public const int VersionOffset = 4;
    public const int AlgorithmOffset = 5;
    public const int FlagsOffset = 6;
    public const int LengthOffset = 7;

    /// <summary>Bytes before the payload.</summary>
    public const int HeaderLength = 11;

    /// <summary>The only version written and read so far.</summary>
    public const byte Version1 = 1;

    /// <summary>Flag: the payload is encrypted (Encryption/EncryptedHeader: key reference, nonce, then ciphertext and tag).</summary>
    public const byte EncryptedFlag = 0x01;

    /// <summary>Flags version 1 defines. A reader refuses any flag it does not know.</summary>
    public const byte KnownFlags = EncryptedFlag;

    /// <summary>
    /// The first byte 0xF5 never occurs in UTF-8 text, is not printable ASCII and is not the KPL's 0xF3; "KCZ"
    /// makes the envelope recognisable in a hex dump.
    /// </summary>
    public static ReadOnlySpan<byte> Magic => [0xF5, 0x4B, 0x43, 0x5A];

    public static bool HasMagic(ReadOnlySpan<byte> data) => data.StartsWith(Magic);

    public static void WriteHeader(Span<byte> destination, CompressionAlgorithm algorithm, int originalLength, byte flags = 0)
    {
        Magic.CopyTo(destination);
        destination[VersionOffset] = Version1;
        destination[AlgorithmOffset] = (byte)algorithm;
        destination[FlagsOffset] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[LengthOffset..], (uint)originalLength);
    }
}
