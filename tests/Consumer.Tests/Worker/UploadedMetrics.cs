using Kinesis.Clients.CloudWatch;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>The data of a run's PutMetricData calls, looked up by metric name and exact dimension set.</summary>
internal sealed class UploadedMetrics
{
    public UploadedMetrics(IReadOnlyList<PutMetricDataCall> calls)
    {
        Calls = calls;
        Data = [.. calls.SelectMany(c => c.Data)];
    }

    public IReadOnlyList<PutMetricDataCall> Calls { get; }

    public IReadOnlyList<MetricDatum> Data { get; }

    public IEnumerable<string> Names => Data.Select(d => d.MetricName).Distinct(StringComparer.Ordinal);

    /// <summary>Every dimension set <paramref name="name"/> was uploaded with, each as "Name=Value,..." in name order.</summary>
    public IReadOnlySet<string> DimensionSets(string name) =>
        Data.Where(d => d.MetricName == name).Select(d => Key(d.Dimensions)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The statistics of <paramref name="name"/> with exactly <paramref name="dimensions"/>, merged over the uploads.</summary>
    public StatisticSet Statistics(string name, params (string Name, string Value)[] dimensions)
    {
        var key = Key(dimensions.Select(d => new MetricDimension(d.Name, d.Value)));
        var matches = Data.Where(d => d.MetricName == name && Key(d.Dimensions) == key).ToList();
        Assert.True(
            matches.Count > 0,
            $"No {name} with [{key}]; uploaded with: [{string.Join("] [", DimensionSets(name))}]");
        var sets = matches.Select(d => d.StatisticValues!.Value).ToList();
        return new StatisticSet(sets.Sum(s => s.SampleCount), sets.Sum(s => s.Sum), sets.Min(s => s.Minimum), sets.Max(s => s.Maximum));
    }

    /// <summary>The one unit <paramref name="name"/> was uploaded with.</summary>
    public MetricUnit Unit(string name) => Assert.Single(Data.Where(d => d.MetricName == name).Select(d => d.Unit).Distinct());

    public static string Key(IEnumerable<MetricDimension> dimensions) =>
        string.Join(",", dimensions.OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => $"{d.Name}={d.Value}"));
}
