using System.Buffers.Binary;
using System.Text;
using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Encryption;

/// <summary>
/// The part of an encrypted record envelope after the original length (Aggregation README, "Encrypted envelope"):
/// cipher, KMS key id, encrypted data key, encryption context, nonce. Everything from the magic to the nonce is
/// the AES-GCM associated data, so no header byte can change without the tag failing.
/// </summary>
internal readonly struct EncryptedHeader
{
    /// <summary>The only cipher defined: AES-256-GCM with a KMS data key, a 12-byte nonce and a 16-byte tag.</summary>
    public const byte Aes256Gcm = 1;

    public const int NonceLength = 12;
    public const int TagLength = 16;
    public const int KeyLength = 32;

    /// <summary>Bounds checked before anything is read or allocated: a key ARN is about 75 bytes, a KMS blob for a 256-bit data key about 184.</summary>
    public const int MaxKeyIdBytes = 256;

    public const int MaxEncryptedKeyBytes = 512;

    /// <summary>Bytes of everything but the key id, encrypted data key and context: cipher, three lengths, nonce; plus the tag.</summary>
    public const int FixedOverhead = EnvelopeFormat.HeaderLength + 1 + 2 + 2 + 2 + NonceLength + TagLength;

    public EncryptedHeader(string keyId, ReadOnlyMemory<byte> encryptedKey, ReadOnlyMemory<byte> context, ReadOnlyMemory<byte> nonce, int length)
    {
        KeyId = keyId;
        EncryptedKey = encryptedKey;
        Context = context;
        Nonce = nonce;
        Length = length;
    }

    public string KeyId { get; }

    /// <summary>The KMS ciphertext blob of the data key.</summary>
    public ReadOnlyMemory<byte> EncryptedKey { get; }

    /// <summary>The serialized encryption context (<see cref="EncryptionContextFormat"/>).</summary>
    public ReadOnlyMemory<byte> Context { get; }

    public ReadOnlyMemory<byte> Nonce { get; }

    /// <summary>Bytes from the start of the record to the end of the nonce: the associated data.</summary>
    public int Length { get; }

    /// <summary>The most bytes a header (with tag) takes for a context of <paramref name="contextBytes"/> serialized bytes.</summary>
    public static int MaxOverhead(int contextBytes) => FixedOverhead + MaxKeyIdBytes + MaxEncryptedKeyBytes + contextBytes;

    /// <summary>Writes the header at the start of <paramref name="destination"/>; the caller fills the nonce and what follows.</summary>
    /// <returns>The header's length (to the end of the nonce).</returns>
    public static int Write(
        Span<byte> destination, CompressionAlgorithm algorithm, int originalLength, ReadOnlySpan<byte> keyId,
        ReadOnlySpan<byte> encryptedKey, ReadOnlySpan<byte> context, ReadOnlySpan<byte> nonce)
    {
        EnvelopeFormat.WriteHeader(destination, algorithm, originalLength, EnvelopeFormat.EncryptedFlag);
        var at = EnvelopeFormat.HeaderLength;
        destination[at++] = Aes256Gcm;
        at = WriteField(destination, at, keyId);
        at = WriteField(destination, at, encryptedKey);
        at = WriteField(destination, at, context);
        nonce.CopyTo(destination[at..]);
        return at + NonceLength;
    }

    /// <summary>Reads the header of an envelope whose flags say encrypted; every length is checked against the data first.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> data, out EncryptedHeader header, out string? problem)
    {
        header = default;
        var span = data.Span;
        var at = EnvelopeFormat.HeaderLength;
        if (span.Length <= at)
        {
            problem = "The encrypted envelope is truncated before its cipher byte.";
            return false;
        }

        if (span[at] != Aes256Gcm)
        {
            problem = $"The encrypted envelope names cipher {span[at]}; this reader knows 1 (AES-256-GCM).";
            return false;
        }

        at++;
        if (!TryReadField(data, ref at, MaxKeyIdBytes, "key id", out var keyId, out problem)
            || !TryReadField(data, ref at, MaxEncryptedKeyBytes, "encrypted data key", out var encryptedKey, out problem)
            || !TryReadField(data, ref at, ushort.MaxValue, "encryption context", out var context, out problem))
        {
            return false;
        }

        if (span.Length - at < NonceLength + TagLength)
        {
            problem = $"The encrypted envelope is truncated: {span.Length - at} bytes after the context, the nonce and tag alone take {NonceLength + TagLength}.";
            return false;
        }

        string keyIdText;
        try
        {
            keyIdText = Strict.GetString(keyId.Span);
        }
        catch (DecoderFallbackException)
        {
            problem = "The encrypted envelope's key id is not UTF-8.";
            return false;
        }

        if (!EncryptionContextFormat.TryRead(context.Span, out _, out problem))
        {
            return false;
        }

        header = new EncryptedHeader(keyIdText, encryptedKey, context, data.Slice(at, NonceLength), at + NonceLength);
        problem = null;
        return true;
    }

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static int WriteField(Span<byte> destination, int at, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination[at..], (ushort)value.Length);
        value.CopyTo(destination[(at + 2)..]);
        return at + 2 + value.Length;
    }

    private static bool TryReadField(ReadOnlyMemory<byte> data, ref int at, int max, string name, out ReadOnlyMemory<byte> value, out string? problem)
    {
        value = default;
        if (data.Length - at < 2)
        {
            problem = $"The encrypted envelope is truncated in the length of its {name}.";
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data.Span[at..]);
        if (length == 0 || length > max)
        {
            problem = $"The encrypted envelope's {name} has {length} bytes; it must have 1 to {max}.";
            return false;
        }

        if (data.Length - at - 2 < length)
        {
            problem = $"The encrypted envelope is truncated in its {name}: {length} bytes declared, {data.Length - at - 2} left.";
            return false;
        }

        value = data.Slice(at + 2, length);
        at += 2 + length;
        problem = null;
        return true;
    }
}
