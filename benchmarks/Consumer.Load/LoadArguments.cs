using System.Globalization;

namespace Kinesis.Clients.Consumer.Load;

internal sealed record LoadArguments(
    string Mode,
    Uri? Endpoint,
    Uri? DynamoDbEndpoint,
    int Records,
    int Shards,
    int Seconds,
    int FailoverSeconds,
    string Stream,
    string Application,
    string WorkerId,
    int Runs,
    string? FanOut)
{
    public static LoadArguments Parse(string[] args)
    {
        var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "deaggregation";
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        int Int(string name, int fallback) => Value(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var endpoint = Value("--endpoint") is { } e ? new Uri(e) : null;
        return new LoadArguments(
            mode,
            endpoint,
            Value("--dynamodb-endpoint") is { } d ? new Uri(d) : endpoint,
            Int("--records", 200_000),
            Int("--shards", 4),
            Int("--seconds", mode == "leases" ? 60 : 5),
            Int("--failover", 10),
            Value("--stream") ?? "",
            Value("--application") ?? "",
            Value("--worker-id") ?? "",
            Int("--runs", 1),
            Value("--fanout") is { } fanOut ? fanOut.ToLowerInvariant() : null);
    }
}
