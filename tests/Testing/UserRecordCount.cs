using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Counts the user records a Kinesis record carries without decoding them: the load tools' sink counts every
/// accepted record with it, at the rate the measured program sends.
/// </summary>
public static class UserRecordCount
{
    /// <summary>The number of user records in a Kinesis record's data: its records if it is a KPL aggregate, else 1.</summary>
    /// <param name="data">The Kinesis record's data.</param>
    /// <returns>At least 1.</returns>
    /// <remarks>
    /// The aggregate's MD5 is not checked (the <see cref="Deaggregator"/> does, and the tests read records back
    /// through it); a record that does not parse as an aggregate counts as one, as the KCL would hand it over.
    /// </remarks>
    public static int Of(ReadOnlySpan<byte> data)
    {
        if (data.Length <= AggregationFormat.Overhead || !data.StartsWith(AggregationFormat.Magic))
        {
            return 1;
        }

        var reader = new ProtoReader(data[AggregationFormat.MagicLength..^AggregationFormat.DigestLength]);
        var count = 0;
        while (!reader.End)
        {
            if (!reader.TryReadTag(out var field, out var wireType) || !reader.TrySkip(field, wireType))
            {
                return 1;
            }

            if (field == AggregationFormat.RecordsField && wireType == ProtoReader.WireLengthDelimited)
            {
                count++;
            }
        }

        return Math.Max(1, count);
    }
}
