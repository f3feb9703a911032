using System.IO.Compression;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// Writes record envelopes (<see cref="RecordCodec"/>) with one compression setting, keeping the compressor's state
/// between records (a zstd context is worth reusing). For a writer that seals many records; not thread-safe.
/// </summary>
public sealed class RecordEncoder : IDisposable
{
    private readonly RecordCompression _compression;
    private Compressor? _zstd;

    /// <summary>Creates an encoder.</summary>
    /// <param name="compression">The algorithm and level.</param>
    /// <exception cref="ArgumentException">The setting is not valid.</exception>
    public RecordEncoder(RecordCompression compression)
    {
        ArgumentNullException.ThrowIfNull(compression);
        compression.Validate(nameof(compression));
        _compression = compression;
    }

    /// <summary>The algorithm this encoder writes.</summary>
    public CompressionAlgorithm Algorithm => _compression.Algorithm;

    /// <summary>The most bytes an envelope of <paramref name="length"/> original bytes can take.</summary>
    /// <param name="length">The original length, at most <see cref="RecordCodec.MaxDecodedLength"/>.</param>
    /// <param name="algorithm">The algorithm.</param>
    /// <returns>The bound in bytes, header included.</returns>
    public static int MaxEncodedLength(int length, CompressionAlgorithm algorithm)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, RecordCodec.MaxDecodedLength);
        var payload = algorithm switch
        {
            CompressionAlgorithm.Zstd => Compressor.GetCompressBound(length),

            // zlib's deflateBound for stored blocks, plus gzip's 10-byte header and 8-byte trailer.
            CompressionAlgorithm.Gzip => length + ((length + 7) >> 3) + ((length + 63) >> 6) + 5 + 18,
            _ => length,
        };
        return EnvelopeFormat.HeaderLength + payload;
    }

    /// <summary>Writes the envelope of <paramref name="data"/> at the start of <paramref name="destination"/>.</summary>
    /// <param name="data">The original bytes, at most <see cref="RecordCodec.MaxDecodedLength"/>.</param>
    /// <param name="destination">At least <see cref="MaxEncodedLength"/> bytes.</param>
    /// <returns>The envelope's length.</returns>
    public int Encode(ReadOnlySpan<byte> data, byte[] destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var bound = MaxEncodedLength(data.Length, _compression.Algorithm);
        if (destination.Length < bound)
        {
            throw new ArgumentException(
                $"Destination must hold {bound} bytes for {data.Length} bytes of data; it has {destination.Length}.", nameof(destination));
        }

        EnvelopeFormat.WriteHeader(destination, _compression.Algorithm, data.Length);
        var payload = _compression.Algorithm switch
        {
            CompressionAlgorithm.Zstd => Zstd().Wrap(data, destination.AsSpan(EnvelopeFormat.HeaderLength)),
            CompressionAlgorithm.Gzip => Gzip(data, destination),
            _ => Copy(data, destination),
        };
        return EnvelopeFormat.HeaderLength + payload;
    }

    /// <summary>Frees the compressor's state.</summary>
    public void Dispose() => _zstd?.Dispose();

    private Compressor Zstd()
    {
        if (_zstd is null)
        {
            _zstd = new Compressor(_compression.Level);

            // A content checksum (4 bytes) makes a damaged payload fail to decode instead of decoding wrong.
            _zstd.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        }

        return _zstd;
    }

    private int Gzip(ReadOnlySpan<byte> data, byte[] destination)
    {
        using var target = new MemoryStream(destination, EnvelopeFormat.HeaderLength, destination.Length - EnvelopeFormat.HeaderLength);
        using (var gzip = new GZipStream(target, new ZLibCompressionOptions { CompressionLevel = _compression.Level }, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return (int)target.Position;
    }

    private static int Copy(ReadOnlySpan<byte> data, byte[] destination)
    {
        data.CopyTo(destination.AsSpan(EnvelopeFormat.HeaderLength));
        return data.Length;
    }
}
