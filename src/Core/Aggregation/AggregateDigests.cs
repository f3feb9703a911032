using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// Writes the MD5 trailers of KPL aggregates written without one (<see cref="AggregateBuilder.WriteUndigested"/>).
/// A producer digests every byte it aggregates, and MD5 cannot be sped up within one buffer; the aggregates of a
/// PutRecords request are independent, so they are digested together.
/// </summary>
public static class AggregateDigests
{
    /// <summary>Writes the digest of each aggregate into its last 16 bytes.</summary>
    /// <param name="aggregates">Whole aggregates (magic, body, 16 bytes for the digest), each as written by <see cref="AggregateBuilder.WriteUndigested"/>.</param>
    /// <exception cref="ArgumentException">An aggregate is shorter than the magic and digest, or does not start with the magic.</exception>
    [SuppressMessage("Security", "CA5351", Justification = "The KPL format checks its body with MD5; it is a checksum, not security.")]
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

        foreach (var aggregate in aggregates)
        {
            var span = aggregate.Span;
            MD5.HashData(span[AggregationFormat.MagicLength..^AggregationFormat.DigestLength], span[^AggregationFormat.DigestLength..]);
        }
    }
}
