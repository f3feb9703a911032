using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary>Finds uploaded data by metric name and dimension set.</summary>
internal static class UploadedData
{
    public static IEnumerable<MetricDatum> All(this IEnumerable<PutMetricDataCall> calls) => calls.SelectMany(c => c.Data);

    public static IEnumerable<MetricDatum> Named(this IEnumerable<PutMetricDataCall> calls, string name) =>
        calls.All().Where(d => d.MetricName == name);

    /// <summary>The one datum of <paramref name="name"/> with exactly these dimensions, in this order.</summary>
    public static MetricDatum Single(this IEnumerable<PutMetricDataCall> calls, string name, params (string Name, string Value)[] dimensions)
    {
        var expected = dimensions.Select(d => new MetricDimension(d.Name, d.Value)).ToArray();
        var matches = calls.Named(name).Where(d => d.Dimensions.SequenceEqual(expected)).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new Xunit.Sdk.XunitException(
                $"Expected one {name} datum with [{Describe(expected)}], found {matches.Count}; uploaded: " +
                string.Join("; ", calls.Named(name).Select(d => $"[{Describe(d.Dimensions)}]")));
    }

    public static string Describe(IEnumerable<MetricDimension> dimensions) =>
        string.Join(", ", dimensions.Select(d => $"{d.Name}={d.Value}"));
}
