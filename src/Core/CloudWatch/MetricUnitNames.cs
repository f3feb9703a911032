namespace Kinesis.Clients.CloudWatch;

/// <summary>The wire names of <see cref="MetricUnit"/> values, as the CloudWatch API spells them.</summary>
internal static class MetricUnitNames
{
    // Indexed by the enum value; the order must follow MetricUnit.
    private static readonly string[] Names =
    [
        "None", "Seconds", "Microseconds", "Milliseconds",
        "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
        "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits",
        "Percent", "Count",
        "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
        "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
        "Count/Second",
    ];

    /// <summary>Every name the API accepts, in enum order.</summary>
    public static IReadOnlyList<string> All => Names;

    public static bool IsDefined(MetricUnit unit) => (uint)unit < (uint)Names.Length;

    public static string ToWire(MetricUnit unit) =>
        IsDefined(unit) ? Names[(int)unit] : throw new ArgumentOutOfRangeException(nameof(unit), unit, "Not a CloudWatch unit.");

    /// <summary>Reads a wire name (case-sensitive, as the service is).</summary>
    public static bool TryParse(string? name, out MetricUnit unit)
    {
        var index = name is null ? -1 : Array.IndexOf(Names, name);
        unit = index < 0 ? MetricUnit.None : (MetricUnit)index;
        return index >= 0;
    }
}
