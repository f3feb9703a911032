using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Kinesis.Clients.Benchmarks;

/// <summary>
/// Record data per second, for benchmarks with a <c>RecordSize</c> parameter whose operations are records.
/// </summary>
internal sealed class PayloadThroughputColumn : IColumn
{
    public string Id => nameof(PayloadThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => false;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Record data processed per second (RecordSize x records/s), in 10^6 bytes";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var size = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == "RecordSize")?.Value;
        var report = summary[benchmarkCase];
        if (size is not int recordSize || report?.ResultStatistics is null)
        {
            return "-";
        }

        var recordsPerSecond = 1e9 / report.ResultStatistics.Mean;
        return (recordsPerSecond * recordSize / 1e6).ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
