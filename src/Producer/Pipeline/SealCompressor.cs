using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Compresses Kinesis records as they are sealed (a whole aggregate, or a record sent alone) into the record
/// envelope, and tells the stream's buffers how many raw bytes to fill an aggregate with so that, compressed, it
/// comes to about AggregationMaxSize: the limit keeps meaning what the stream is charged for.
/// </summary>
/// <remarks>
/// The ratio is estimated from the aggregates already compressed (a moving average, seeded by the first), and the
/// fill aims at <see cref="Aim"/> of the limit so that ordinary variation stays under it; an aggregate that still
/// comes out over the limit is split by the caller and the estimate takes the overshoot in at once. Owned by one
/// stream's loop: not thread-safe.
/// </remarks>
internal sealed class SealCompressor : IDisposable
{
    /// <summary>The share of AggregationMaxSize a compressed aggregate is aimed at.</summary>
    public const double Aim = 0.9;

    private readonly RecordEncoder _encoder;
    private double _ratio = 1.0;
    private bool _observed;

    /// <param name="compression">The algorithm and level (enabled).</param>
    /// <param name="aggregationMaxSize">The most bytes a compressed aggregate should take.</param>
    /// <param name="recordLimit">The most bytes any Kinesis record may take: an uncompressed aggregate never grows past it.</param>
    public SealCompressor(RecordCompression compression, int aggregationMaxSize, int recordLimit)
    {
        _encoder = new RecordEncoder(compression);
        AggregationMaxSize = aggregationMaxSize;
        RecordLimit = Math.Max(aggregationMaxSize, Math.Min(recordLimit, RecordCodec.MaxDecodedLength));
        RawTarget = aggregationMaxSize;
    }

    public int AggregationMaxSize { get; }

    /// <summary>The hard ceiling of an aggregate before compression.</summary>
    public int RecordLimit { get; }

    /// <summary>How many bytes to fill the next aggregate with before compression.</summary>
    public int RawTarget { get; private set; }

    /// <summary>Compressed bytes out per raw byte in, as estimated now.</summary>
    public double Ratio => _ratio;

    /// <summary>
    /// Compresses <paramref name="data"/> into a pooled array, if that makes it smaller; the caller returns the
    /// array to <see cref="AggregateBuffers"/> when the Kinesis record is finished.
    /// </summary>
    /// <returns><see langword="false"/> when the envelope would not be smaller (the data goes out as it is).</returns>
    public bool TryCompress(ReadOnlySpan<byte> data, out byte[] envelope, out int length)
    {
        envelope = AggregateBuffers.Rent(RecordEncoder.MaxEncodedLength(data.Length, _encoder.Algorithm));
        length = _encoder.Encode(data, envelope);
        Observe(data.Length, length);
        if (length < data.Length)
        {
            return true;
        }

        AggregateBuffers.Return(envelope);
        envelope = null!;
        length = 0;
        return false;
    }

    public void Dispose() => _encoder.Dispose();

    private void Observe(int raw, int compressed)
    {
        // Records sent alone say little about aggregates, and tiny ones nothing at all.
        if (raw < 1024)
        {
            return;
        }

        var ratio = Math.Min(1.0, (double)compressed / raw);
        _ratio = !_observed ? ratio
            : compressed > AggregationMaxSize ? Math.Max(_ratio, ratio)
            : (0.75 * _ratio) + (0.25 * ratio);
        _observed = true;
        RawTarget = (int)Math.Clamp(AggregationMaxSize * Aim / _ratio, AggregationMaxSize, RecordLimit);
    }
}
