using System.Globalization;
using Kinesis.Clients.Consumer;

namespace Kinesis.Clients.ConsumerDump;

/// <summary>The command line, parsed; <see cref="Parse"/> throws <see cref="FormatException"/> with what is wrong.</summary>
internal sealed class DumpArguments
{
    public const string Usage = """
        usage: ConsumerDump --stream NAME --application NAME [options]

          --stream NAME              the stream to consume (required); given more than once, the streams are
                                     consumed in the KCL's multi-stream mode (a name, an ARN or account:stream:epoch)
          --application NAME         the application, also the lease table's name (required)
          --position POS             where shards without a checkpoint start:
                                     TRIM_HORIZON | LATEST | AT_TIMESTAMP:<ISO 8601 time> (default LATEST)
          --worker-id ID             this worker's id in the lease table (default: host:pid:random)
          --endpoint URL             Kinesis and DynamoDB endpoint (e.g. LocalStack at http://localhost:4566)
          --kinesis-endpoint URL     Kinesis endpoint only
          --dynamodb-endpoint URL    DynamoDB endpoint only
          --region REGION            AWS region (default us-east-1)
          --failover-ms N            lease failover time in milliseconds (default 10000)

        Writes one JSON line per record to stdout:
          {"stream","shard","sequence","subSequence","partitionKey","data"}  (data in base64)
        and checkpoints after each batch. Ctrl-C or SIGTERM shuts down gracefully.
        """;

    public string Stream => Streams.Count > 0 ? Streams[0] : "";

    /// <summary>Every <c>--stream</c>; more than one means multi-stream mode.</summary>
    public List<string> Streams { get; } = [];

    public string Application { get; private set; } = "";

    public InitialPosition Position { get; private set; } = InitialPosition.Latest;

    public string? WorkerId { get; private set; }

    public Uri? KinesisEndpoint { get; private set; }

    public Uri? DynamoDbEndpoint { get; private set; }

    public string Region { get; private set; } = "us-east-1";

    public TimeSpan? FailoverTime { get; private set; }

    public static DumpArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new DumpArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a value.");
            switch (name)
            {
                case "--stream": parsed.Streams.Add(Value()); break;
                case "--application": parsed.Application = Value(); break;
                case "--position": parsed.Position = ParsePosition(Value()); break;
                case "--worker-id": parsed.WorkerId = Value(); break;
                case "--endpoint":
                    var both = ParseUri(name, Value());
                    parsed.KinesisEndpoint ??= both;
                    parsed.DynamoDbEndpoint ??= both;
                    break;
                case "--kinesis-endpoint": parsed.KinesisEndpoint = ParseUri(name, Value()); break;
                case "--dynamodb-endpoint": parsed.DynamoDbEndpoint = ParseUri(name, Value()); break;
                case "--region": parsed.Region = Value(); break;
                case "--failover-ms":
                    var text = Value();
                    parsed.FailoverTime = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0
                        ? TimeSpan.FromMilliseconds(ms)
                        : throw new FormatException($"--failover-ms takes a positive number of milliseconds; got '{text}'.");
                    break;
                default: throw new FormatException($"Unknown argument '{name}'.");
            }
        }

        if (parsed.Stream.Length == 0 || parsed.Application.Length == 0)
        {
            throw new FormatException("--stream and --application are required.");
        }

        return parsed;
    }

    private static InitialPosition ParsePosition(string text)
    {
        const string AtTimestamp = "AT_TIMESTAMP:";
        if (text.Equals("TRIM_HORIZON", StringComparison.OrdinalIgnoreCase))
        {
            return InitialPosition.TrimHorizon;
        }

        if (text.Equals("LATEST", StringComparison.OrdinalIgnoreCase))
        {
            return InitialPosition.Latest;
        }

        if (text.StartsWith(AtTimestamp, StringComparison.OrdinalIgnoreCase) &&
            DateTimeOffset.TryParse(text[AtTimestamp.Length..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return InitialPosition.AtTimestamp(time);
        }

        throw new FormatException($"--position takes TRIM_HORIZON, LATEST or AT_TIMESTAMP:<ISO 8601 time>; got '{text}'.");
    }

    private static Uri ParseUri(string name, string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new FormatException($"{name} takes an absolute http(s) URL; got '{text}'.");
}
