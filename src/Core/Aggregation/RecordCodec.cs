using Kinesis.Clients.Records;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// The record envelope this suite's producer writes when compression is on, and reads back: a header (magic
/// <c>F5 4B 43 5A</c>, version, algorithm, flags, original length) and the compressed payload. For a Lambda
/// function or any other .NET reader that gets records without this suite's consumer.
/// </summary>
/// <remarks>
/// <para>
/// The original bytes are what the producer would have sent without compression: a KPL aggregate or a single
/// user record. <see cref="Deaggregator"/> opens the envelope itself before splitting an aggregate, so a reader
/// that wants user records calls only the deaggregator; <see cref="TryDecode"/> is for readers that want the
/// original Kinesis record's data. One envelope layer is opened, never more.
/// </para>
/// <para>
/// Decoding never throws on bad input from <see cref="TryDecode"/> and never allocates more than
/// <see cref="MaxDecodedLength"/> bytes: the declared length is checked before anything is allocated, and the
/// payload must decode to exactly that length. The byte layout is in the Aggregation README.
/// </para>
/// </remarks>
public static class RecordCodec
{
    /// <summary>The most original bytes an envelope may declare: the largest Kinesis record (10 MiB).</summary>
    public const int MaxDecodedLength = RecordValidation.MaxConfigurableRecordSizeBytes;

    /// <summary>Bytes of the envelope's header, before the payload.</summary>
    public const int HeaderLength = EnvelopeFormat.HeaderLength;

    /// <summary>Whether data starts with the envelope's magic (which does not yet say it decodes).</summary>
    /// <param name="data">A Kinesis record's data.</param>
    /// <returns><see langword="true"/> if <paramref name="data"/> starts with <c>F5 4B 43 5A</c>.</returns>
    public static bool IsEnveloped(ReadOnlySpan<byte> data) => EnvelopeFormat.HasMagic(data);

    /// <summary>Opens an envelope, or passes anything else through.</summary>
    /// <param name="data">A Kinesis record's data.</param>
    /// <param name="decoded">
    /// The original bytes when <see cref="RecordDecodeStatus.Decoded"/> (a new array, or a slice of
    /// <paramref name="data"/> when uncompressed); otherwise <paramref name="data"/> itself.
    /// </param>
    /// <returns>What was found.</returns>
    public static RecordDecodeStatus TryDecode(ReadOnlyMemory<byte> data, out ReadOnlyMemory<byte> decoded) =>
        RecordDecoder.Decode(data, out decoded, out _);

    /// <summary>Opens an envelope; data without one is returned as it is.</summary>
    /// <param name="data">A Kinesis record's data.</param>
    /// <returns>The original bytes.</returns>
    /// <exception cref="InvalidDataException">The envelope is damaged or of a kind this reader cannot open; the message says which.</exception>
    public static ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> data)
    {
        var status = RecordDecoder.Decode(data, out var decoded, out var problem);
        return status is RecordDecodeStatus.Decoded or RecordDecodeStatus.NotEnveloped
            ? decoded
            : throw new InvalidDataException(problem);
    }

    /// <summary>Opens an envelope, encrypted or not, asking KMS for its data key through <paramref name="decryptor"/>'s cache.</summary>
    /// <param name="data">A Kinesis record's data.</param>
    /// <param name="decryptor">The KMS client and its cache of data keys.</param>
    /// <param name="cancellationToken">Stops waiting for KMS.</param>
    /// <returns>The original bytes; data without an envelope as it is.</returns>
    /// <exception cref="InvalidDataException">The envelope is damaged, does not authenticate, or KMS refused its key; the message says which.</exception>
    public static Task<ReadOnlyMemory<byte>> DecodeAsync(ReadOnlyMemory<byte> data, Kinesis.Clients.Encryption.RecordDecryptor decryptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decryptor);
        return decryptor.DecodeAsync(data, cancellationToken);
    }

    /// <summary>Wraps data in an envelope, compressed as asked.</summary>
    /// <param name="data">The original bytes, at most <see cref="MaxDecodedLength"/>.</param>
    /// <param name="compression">The algorithm and level.</param>
    /// <returns>The envelope.</returns>
    /// <exception cref="ArgumentException">The setting is not valid, or the data is too long.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> data, RecordCompression compression)
    {
        ArgumentNullException.ThrowIfNull(compression);
        if (data.Length > MaxDecodedLength)
        {
            throw new ArgumentException($"An envelope holds at most {MaxDecodedLength} bytes; the data has {data.Length}.", nameof(data));
        }

        using var encoder = new RecordEncoder(compression);
        var buffer = GC.AllocateUninitializedArray<byte>(RecordEncoder.MaxEncodedLength(data.Length, compression.Algorithm));
        var length = encoder.Encode(data, buffer);
        return buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>The most bytes <see cref="Encode"/> can return for data of a given length.</summary>
    /// <param name="dataLength">The original length, at most <see cref="MaxDecodedLength"/>.</param>
    /// <param name="algorithm">The algorithm.</param>
    /// <returns>The bound in bytes, header included.</returns>
    public static int GetMaxEncodedLength(int dataLength, CompressionAlgorithm algorithm) =>
        RecordEncoder.MaxEncodedLength(dataLength, algorithm);
}
