using System.Globalization;

namespace Kinesis.Clients.Producer.Load;

internal sealed record LoadArguments(
    string Mode,
    Uri? Endpoint,
    int Records,
    int RecordSize,
    int Keys,
    int Shards,
    int Seconds,
    int Port,
    string Stream,
    bool Limits,
    int WarmUpSeconds,
    bool Metrics,
    bool PreserveShardOrder,
    int LatencyMs,
    int? RateLimit)
{
    public static LoadArguments Parse(string[] args)
    {
        var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "throughput";
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return new LoadArguments(
            mode,
            Value("--endpoint") is { } endpoint ? new Uri(endpoint) : null,
            Int("--records", 5_000_000),
            Int("--record-size", 100),
            Int("--keys", 10_000),
            Int("--shards", mode == "saturation" ? 4 : 256),
            Int("--seconds", 20),
            Int("--port", 0),
            Value("--stream") ?? "load",
            args.Contains("--limits"),
            Int("--warmup-seconds", 30),
            args.Contains("--metrics"),
            args.Contains("--preserve-shard-order"),
            Int("--latency-ms", 0),
            Value("--rate-limit") is { } rate ? int.Parse(rate, CultureInfo.InvariantCulture) : null);
    }
}
