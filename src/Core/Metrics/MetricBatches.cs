using Kinesis.Clients.CloudWatch;

namespace Kinesis.Clients.Metrics;

/// <summary>Splits metric data into PutMetricData requests within the count and size limits.</summary>
internal static class MetricBatches
{
    /// <summary>
    /// Consecutive runs of <paramref name="data"/>, each at most <paramref name="maxCount"/> data and encoding to at
    /// most <paramref name="maxBytes"/> bytes (the member numbers' digits counted as they will be sent).
    /// </summary>
    public static List<MetricDatum[]> Split(string @namespace, IReadOnlyList<MetricDatum> data, int maxCount, int maxBytes)
    {
        var batches = new List<MetricDatum[]>();
        var header = PutMetricDataForm.HeaderLength(@namespace);
        var current = new List<MetricDatum>();
        var size = header;
        foreach (var datum in data)
        {
            var length = PutMetricDataForm.DatumLength(datum, current.Count + 1);
            if (current.Count > 0 && (current.Count == maxCount || size + length > maxBytes))
            {
                batches.Add([.. current]);
                current.Clear();
                size = header;
                length = PutMetricDataForm.DatumLength(datum, 1);
            }

            current.Add(datum);
            size += length;
        }

        if (current.Count > 0)
        {
            batches.Add([.. current]);
        }

        return batches;
    }
}
