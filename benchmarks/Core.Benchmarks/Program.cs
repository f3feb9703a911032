using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Kinesis.Clients.Benchmarks;

/// <summary>
/// Runs the Core micro-benchmarks. Pass BenchmarkDotNet's usual options, e.g. <c>--filter *Aggregation*</c>,
/// <c>--job short</c> for a quick run, <c>--list flat</c>; without a filter every benchmark runs.
/// </summary>
internal static class Program
{
    public static void Main(string[] args)
    {
        // Benchmarks declare OperationsPerInvoke as the number of records they process, so Op/s reads as records/s.
        var config = ManualConfig.Create(DefaultConfig.Instance)
            .AddColumn(StatisticColumn.OperationsPerSecond, new PayloadThroughputColumn())
            .HideColumns(Column.Error, Column.StdDev, Column.Median, Column.RatioSD)
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(24))
            .WithOptions(ConfigOptions.JoinSummary);

        // Without a filter BenchmarkDotNet asks on the console which benchmarks to run; unattended runs have no console.
        if (!args.Any(IsSelection))
        {
            args = [.. args, "--filter", "*"];
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }

    private static bool IsSelection(string arg) =>
        arg is "--filter" or "-f" or "--list" or "--help" or "-h" or "-?" or "--info" or "--version" or "--allCategories"
            or "--anyCategories" or "--allcategories" or "--anycategories";
}
