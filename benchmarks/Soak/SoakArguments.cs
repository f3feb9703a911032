using System.Globalization;

namespace Kinesis.Clients.Soak;

/// <summary>The command line of every mode; each mode reads what it needs.</summary>
internal sealed record SoakArguments(
    string Mode,
    double Minutes,
    string? AgentProgram,
    int Workers,
    int Shards,
    int ProducerRate,
    int AgentRate,
    int Keys,
    double DrainMinutes,
    Uri? KinesisEndpoint,
    Uri? DynamoDbEndpoint,
    string Stream,
    string Application,
    string Name,
    string Output,
    bool Keep)
{
    public static SoakArguments Parse(string[] args)
    {
        var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "run";
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = mode == "run" && (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal)) ? 0 : 1; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --name value, got '{args[i]}'");
            }

            values[args[i]] = args[i + 1];
        }

        string? Text(string name) => values.Remove(name, out var v) ? v : null;
        double Number(string name, double fallback, double min)
        {
            var value = Text(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
            return value >= min ? value : throw new ArgumentException($"{name} must be at least {min.ToString(CultureInfo.InvariantCulture)}; got {value.ToString(CultureInfo.InvariantCulture)}");
        }

        var parsed = new SoakArguments(
            mode,
            Number("--minutes", 3, 1),
            Text("--agent") ?? Environment.GetEnvironmentVariable("KINESIS_AGENT_PROGRAM"),
            (int)Number("--workers", 2, 1),
            (int)Number("--shards", 4, 2),
            (int)Number("--rate", 200, 1),
            (int)Number("--agent-rate", 100, 1),
            (int)Number("--keys", 32, 1),
            Number("--drain-minutes", 5, 1),
            Text("--kinesis") is { } k ? new Uri(k) : null,
            Text("--dynamodb") is { } d ? new Uri(d) : null,
            Text("--stream") ?? "",
            Text("--application") ?? "",
            Text("--name") ?? "",
            Text("--out") ?? "",
            Text("--keep") is "true" or "1" or "yes");
        return values.Count == 0 ? parsed : throw new ArgumentException($"unknown argument {values.Keys.First()}");
    }
}
