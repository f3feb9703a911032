using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Kinesis.Clients.Encryption;
using ZstdSharp;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// Opens record envelopes. Every length is checked against the header before anything is allocated, and a
/// decompressor writes into an array of exactly the declared length, so no input makes it allocate more than
/// <see cref="RecordCodec.MaxDecodedLength"/> or run past what the header promised.
/// </summary>
internal static class RecordDecoder
{
    // Zstd contexts are worth reusing (tens of KiB each); one per thread, because consumers decode in parallel.
    [ThreadStatic]
    private static Decompressor? t_zstd;

    /// <summary>Opens <paramref name="data"/>.</summary>
    /// <param name="data">A Kinesis record's data.</param>
    /// <param name="decoded">The original bytes when decoded; else <paramref name="data"/>.</param>
    /// <param name="problem">Why it was not decoded, for an error message; <see langword="null"/> otherwise.</param>
    public static RecordDecodeStatus Decode(ReadOnlyMemory<byte> data, out ReadOnlyMemory<byte> decoded, out string? problem) =>
        Decode(data, null, out decoded, out problem);

    /// <summary>Opens <paramref name="data"/>, decrypting with keys <paramref name="decryptor"/> already holds.</summary>
    /// <param name="data">A Kinesis record's data.</param>
    /// <param name="decryptor">The keys for encrypted envelopes; without it they are <see cref="RecordDecodeStatus.Unsupported"/>.</param>
    /// <param name="decoded">The original bytes when decoded; else <paramref name="data"/>.</param>
    /// <param name="problem">Why it was not decoded, for an error message; <see langword="null"/> otherwise.</param>
    public static RecordDecodeStatus Decode(ReadOnlyMemory<byte> data, RecordDecryptor? decryptor, out ReadOnlyMemory<byte> decoded, out string? problem)
    {
        decoded = data;
        problem = null;
        var span = data.Span;
        if (!EnvelopeFormat.HasMagic(span))
        {
            return RecordDecodeStatus.NotEnveloped;
        }

        if (span.Length < EnvelopeFormat.HeaderLength)
        {
            problem = $"The envelope is truncated: {span.Length} bytes, its header alone takes {EnvelopeFormat.HeaderLength}.";
            return RecordDecodeStatus.Corrupt;
        }

        var version = span[EnvelopeFormat.VersionOffset];
        var algorithm = (CompressionAlgorithm)span[EnvelopeFormat.AlgorithmOffset];
        var flags = span[EnvelopeFormat.FlagsOffset];
        if (version != EnvelopeFormat.Version1 || (flags & ~EnvelopeFormat.KnownFlags) != 0 || !Enum.IsDefined(algorithm))
        {
            problem = $"The envelope has version {version}, algorithm {(int)algorithm} and flags 0x{flags:X2}; this reader opens version 1, algorithms 0 to 2, flags 0x00 and 0x01.";
            return RecordDecodeStatus.Unsupported;
        }

        var encrypted = (flags & EnvelopeFormat.EncryptedFlag) != 0;
        if (encrypted && decryptor is null)
        {
            problem = "The envelope is encrypted; open it with a RecordDecryptor (a KMS client that may decrypt its data key).";
            return RecordDecodeStatus.Unsupported;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(span[EnvelopeFormat.LengthOffset..]);
        if (length > RecordCodec.MaxDecodedLength)
        {
            problem = $"The envelope declares {length} original bytes, over the limit of {RecordCodec.MaxDecodedLength}.";
            return RecordDecodeStatus.Corrupt;
        }

        var payload = data[EnvelopeFormat.HeaderLength..];
        if (encrypted)
        {
            var opened = Decrypt(data, decryptor!, out payload, out problem);
            if (opened != RecordDecodeStatus.Decoded)
            {
                return opened;
            }
        }

        if (algorithm == CompressionAlgorithm.None)
        {
            if (payload.Length != length)
            {
                problem = $"The envelope declares {length} bytes but carries {payload.Length}.";
                return RecordDecodeStatus.Corrupt;
            }

            decoded = payload;
            return RecordDecodeStatus.Decoded;
        }

        var output = GC.AllocateUninitializedArray<byte>((int)length);
        var complete = algorithm == CompressionAlgorithm.Zstd
            ? TryZstd(payload.Span, output, out problem)
            : TryGzip(payload, output, out problem);
        if (!complete)
        {
            return RecordDecodeStatus.Corrupt;
        }

        decoded = output;
        return RecordDecodeStatus.Decoded;
    }

    // The payload's plaintext, authenticated with the whole header as associated data.
    private static RecordDecodeStatus Decrypt(ReadOnlyMemory<byte> data, RecordDecryptor decryptor, out ReadOnlyMemory<byte> plaintext, out string? problem)
    {
        plaintext = default;
        if (!EncryptedHeader.TryRead(data, out var header, out problem))
        {
            return RecordDecodeStatus.Corrupt;
        }

        if (!decryptor.TryGetKey(header, out var key, out problem))
        {
            return RecordDecodeStatus.DecryptionFailed;
        }

        var span = data.Span;
        var ciphertext = span[header.Length..^EncryptedHeader.TagLength];
        var output = GC.AllocateUninitializedArray<byte>(ciphertext.Length);
        try
        {
            using var aes = new AesGcm(key, EncryptedHeader.TagLength);
            aes.Decrypt(header.Nonce.Span, ciphertext, span[^EncryptedHeader.TagLength..], output, span[..header.Length]);
        }
        catch (AuthenticationTagMismatchException)
        {
            problem = $"The encrypted envelope under {header.KeyId} does not authenticate: its header or ciphertext was changed, or it was not written with this key.";
            return RecordDecodeStatus.DecryptionFailed;
        }

        plaintext = output;
        return RecordDecodeStatus.Decoded;
    }

    private static bool TryZstd(ReadOnlySpan<byte> payload, byte[] output, out string? problem)
    {
        var zstd = t_zstd ??= new Decompressor();
        try
        {
            // Single-shot decoding into the output: a frame claiming more than the declared length fails
            // (destination too small) rather than growing anything.
            if (zstd.TryUnwrap(payload, output, out var written) && written == output.Length)
            {
                problem = null;
                return true;
            }

            problem = $"The zstd payload does not decode to the declared {output.Length} bytes.";
            return false;
        }
        catch (ZstdException exception)
        {
            problem = $"The zstd payload is damaged: {exception.Message}";
            return false;
        }
    }

    private static bool TryGzip(ReadOnlyMemory<byte> payload, byte[] output, out string? problem)
    {
        try
        {
            var segment = MemoryMarshal.TryGetArray(payload, out var array) ? array : new ArraySegment<byte>(payload.ToArray());
            using var gzip = new GZipStream(
                new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false), CompressionMode.Decompress);
            var read = gzip.ReadAtLeast(output, output.Length, throwOnEndOfStream: false);

            // One byte more must not exist: reading it also makes the stream check gzip's CRC-32 and length.
            Span<byte> extra = stackalloc byte[1];
            if (read == output.Length && gzip.Read(extra) == 0 && GzipTrailer.Matches(payload.Span, output))
            {
                problem = null;
                return true;
            }

            problem = $"The gzip payload does not decode to the declared {output.Length} bytes.";
            return false;
        }
        catch (InvalidDataException exception)
        {
            problem = $"The gzip payload is damaged: {exception.Message}";
            return false;
        }
    }
}
