using System.Buffers;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// Writes the MD5 trailers of KPL aggregates written without one (<see cref="AggregateBuilder.WriteUndigested"/>).
/// A producer digests every byte it aggregates, and MD5 cannot be sped up within one buffer; the aggregates of a
/// PutRecords request are independent, so they are digested together, one per SIMD lane
/// (<see cref="MultiBufferMd5"/>: about ten times OpenSSL's speed for a request of full aggregates with AVX-512).
/// </summary>
public static class AggregateDigests
{
    /// <summary>Writes the digest of each aggregate into its last 16 bytes.</summary>
    /// <param name="aggregates">Whole aggregates (magic, body, 16 bytes for the digest), each as written by <see cref="AggregateBuilder.WriteUndigested"/>.</param>
    /// <exception cref="ArgumentException">An aggregate is shorter than the magic and digest, or does not start with the magic.</exception>
    public static void Complete(ReadOnlySpan<Memory<byte>> aggregates)
    {
        for (var i = 0; i < aggregates.Length; i++)
        {
            var aggregate = aggregates[i].Span;
            if (aggregate.Length < AggregationFormat.Overhead || !aggregate.StartsWith(AggregationFormat.Magic))
            {
                throw new ArgumentException(
                    $"Aggregate {i} ({aggregate.Length} bytes) is not a KPL aggregate: it needs the magic prefix and room for the digest.",
                    nameof(aggregates));
            }
        }

        var bodies = ArrayPool<ReadOnlyMemory<byte>>.Shared.Rent(aggregates.Length);
        var digests = ArrayPool<Memory<byte>>.Shared.Rent(aggregates.Length);
        try
        {
            for (var i = 0; i < aggregates.Length; i++)
            {
                var aggregate = aggregates[i];
                bodies[i] = aggregate[AggregationFormat.MagicLength..^AggregationFormat.DigestLength];
                digests[i] = aggregate[^AggregationFormat.DigestLength..];
            }

            // Digests are written after every body is read.
            MultiBufferMd5.HashData(bodies.AsSpan(0, aggregates.Length), digests.AsSpan(0, aggregates.Length));
        }
        finally
        {
            ArrayPool<ReadOnlyMemory<byte>>.Shared.Return(bodies, clearArray: true);
            ArrayPool<Memory<byte>>.Shared.Return(digests, clearArray: true);
        }
    }
}
