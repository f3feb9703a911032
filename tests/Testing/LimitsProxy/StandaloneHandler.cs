using System.Globalization;
using System.Text;
using Kinesis.Clients.Wire;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Standalone mode: answers ListShards, DescribeStreamSummary, PutRecord and PutRecords for declared streams,
/// keeping nothing but counters, with the same limits and faults as proxy mode.
/// </summary>
internal sealed partial class StandaloneHandler : IRequestHandler
{
    private const int DefaultMaxResults = 1000;
    private const int LargestMaxResults = 10_000;

    private readonly Dictionary<string, StandaloneStream> _streams = new(StringComparer.Ordinal);
    private readonly ProxyCounters _counters;
    private readonly LimitsProxyFaults _faults;
    private readonly AcceptedRecordHandler? _onAccepted;
    private readonly LimitSettings _limits;

    public StandaloneHandler(StandaloneStreams streams, ShardRegistry registry, ProxyCounters counters, LimitsProxyFaults faults, AcceptedRecordHandler? onAccepted, LimitSettings limits)
    {
        _counters = counters;
        _faults = faults;
        _onAccepted = onAccepted;
        _limits = limits;
        foreach (var (name, shards) in streams.ShardCounts)
        {
            _streams.Add(name, new StandaloneStream(name, shards, registry, limits));
        }
    }

    public Task HandleAsync(ProxyExchange exchange)
    {
        if (exchange.Operation is not ("ListShards" or "DescribeStreamSummary" or "PutRecord" or "PutRecords"))
        {
            return ProxyReplies.ErrorAsync(
                exchange,
                StatusCodes.Status400BadRequest,
                "UnknownOperationException",
                $"Operation '{exchange.Operation}' is not served by the standalone limits proxy (ListShards, DescribeStreamSummary, PutRecord, PutRecords are).");
        }

        if (exchange.TryReadBody() is not { Kind: WireKind.Map } request)
        {
            return ProxyReplies.ErrorAsync(exchange, StatusCodes.Status400BadRequest, "SerializationException", "The request body could not be read.");
        }

        return exchange.Operation switch
        {
            "ListShards" => ListShardsAsync(exchange, request),
            "DescribeStreamSummary" => DescribeStreamSummaryAsync(exchange, request),
            "PutRecord" => PutRecordAsync(exchange, request),
            _ => PutRecordsAsync(exchange, request),
        };
    }

    public void Dispose()
    {
    }

    private Task DescribeStreamSummaryAsync(ProxyExchange exchange, WireValue request)
    {
        if (!TryFindStream(exchange, request, out var stream, out var refusal))
        {
            return refusal;
        }

        return ProxyReplies.WriteAsync(exchange, StatusCodes.Status200OK, stream, static (w, s) =>
        {
            w.WriteStartObject(1);
            w.WritePropertyName("StreamDescriptionSummary");
            w.WriteStartObject(9);
            Property(w, "StreamName", s.Name);
            Property(w, "StreamARN", s.Arn);
            Property(w, "StreamStatus", "ACTIVE");
            w.WritePropertyName("StreamModeDetails");
            w.WriteStartObject(1);
            Property(w, "StreamMode", "PROVISIONED");
            w.WriteEndObject();
            w.WritePropertyName("RetentionPeriodHours");
            w.WriteInt64(24);
            w.WritePropertyName("StreamCreationTimestamp");
            w.WriteTimestamp(s.Created);
            Property(w, "EncryptionType", "NONE");
            w.WritePropertyName("OpenShardCount");
            w.WriteInt64(s.Shards.Length);
            w.WritePropertyName("ConsumerCount");
            w.WriteInt64(0);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private Task ListShardsAsync(ProxyExchange exchange, WireValue request)
    {
        var token = WireTree.Text(request["NextToken"]);
        var maxResults = request["MaxResults"].IsNull ? DefaultMaxResults : request["MaxResults"].AsInt64() ?? 0;
        if (maxResults is < 1 or > LargestMaxResults)
        {
            return Invalid(exchange, $"MaxResults must be 1-{LargestMaxResults}; got {maxResults}.");
        }

        StandaloneStream? stream;
        int from;
        if (token is not null)
        {
            if (WireTree.StreamName(request) is not null)
            {
                return Invalid(exchange, "NextToken and StreamName cannot be provided together.");
            }

            if (!TryReadToken(token, out stream, out from))
            {
                return Invalid(exchange, "NextToken is not a token this server issued.");
            }
        }
        else
        {
            if (!TryFindStream(exchange, request, out stream, out var refusal))
            {
                return refusal;
            }

            var after = WireTree.Text(request["ExclusiveStartShardId"]);
            if (request["ShardFilter"]["Type"].AsString() == "AFTER_SHARD_ID")
            {
                after = WireTree.Text(request["ShardFilter"]["ShardId"]);
            }

            // Shard ids sort in index order, so "after this id" is the first index with a larger id.
            from = after is null ? 0 : Enumerable.Range(0, stream.Shards.Length)
                .FirstOrDefault(i => string.CompareOrdinal(stream.Shards[i].ShardId, after) > 0, stream.Shards.Length);
        }

        var count = (int)Math.Min(maxResults, stream.Shards.Length - from);
        var next = from + count < stream.Shards.Length ? NewToken(stream.Name, from + count) : null;
        return ProxyReplies.WriteAsync(exchange, StatusCodes.Status200OK, (stream, from, count, next), static (w, s) =>
        {
            w.WriteStartObject(s.next is null ? 1 : 2);
            w.WritePropertyName("Shards");
            w.WriteStartArray(s.count);
            for (var i = s.from; i < s.from + s.count; i++)
            {
                w.WriteStartObject(3);
                Property(w, "ShardId", s.stream.Shards[i].ShardId);
                w.WritePropertyName("HashKeyRange");
                w.WriteStartObject(2);
                Property(w, "StartingHashKey", s.stream.Ranges[i].StartingHashKey.ToString());
                Property(w, "EndingHashKey", s.stream.Ranges[i].EndingHashKey.ToString());
                w.WriteEndObject();
                w.WritePropertyName("SequenceNumberRange");
                w.WriteStartObject(1);
                Property(w, "StartingSequenceNumber", StandaloneStream.SequenceNumber(i, 0));
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (s.next is not null)
            {
                Property(w, "NextToken", s.next);
            }

            w.WriteEndObject();
        });
    }

    private bool TryFindStream(ProxyExchange exchange, WireValue request, out StandaloneStream stream, out Task refusal)
    {
        var name = WireTree.StreamName(request);
        if (name is not null && _streams.TryGetValue(name, out stream!))
        {
            refusal = Task.CompletedTask;
            return true;
        }

        stream = null!;
        refusal = name is null
            ? Invalid(exchange, "Either StreamName or StreamARN should be provided.")
            : ProxyReplies.ErrorAsync(exchange, StatusCodes.Status400BadRequest, "ResourceNotFoundException", $"Stream {name} under account {_limits.AccountId} not found.");
        return false;
    }

    private static string NewToken(string stream, int from) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(stream + "/" + from.ToString(CultureInfo.InvariantCulture)));

    private bool TryReadToken(string token, out StandaloneStream stream, out int from)
    {
        stream = null!;
        from = 0;
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            return false;
        }

        var slash = text.LastIndexOf('/');
        return slash > 0 &&
            _streams.TryGetValue(text[..slash], out stream!) &&
            int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out from) &&
            from < stream.Shards.Length;
    }

    private static Task Invalid(ProxyExchange exchange, string message) =>
        ProxyReplies.ErrorAsync(exchange, StatusCodes.Status400BadRequest, "InvalidArgumentException", message);

    private static void Property(IWireWriter w, string name, string value)
    {
        w.WritePropertyName(name);
        w.WriteString(value);
    }
}
