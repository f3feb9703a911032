namespace Kinesis.Clients.Benchmarks.Load;

internal static class Report
{
    public static void Print(string title, IEnumerable<(string Name, string Value)> rows)
    {
        var list = rows.ToList();
        var width = list.Max(r => r.Name.Length);
        Console.WriteLine();
        Console.WriteLine($"== {title}");
        foreach (var (name, value) in list)
        {
            Console.WriteLine($"  {name.PadRight(width)}  {value}");
        }

        Console.WriteLine();
    }
}
