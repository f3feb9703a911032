using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Testing;

/// <summary>A SubscribeToShard request body, read from JSON 1.1 or CBOR 1.1.</summary>
internal sealed record SubscribeRequest(
    string ConsumerArn,
    string ShardId,
    string PositionName,
    ShardIteratorType PositionType,
    string? SequenceNumber,
    DateTimeOffset? Timestamp)
{
    /// <summary>Reads the body; returns <see langword="null"/> and a reason when it is not a valid request.</summary>
    public static SubscribeRequest? TryRead(ReadOnlyMemory<byte> body, bool cbor, out string? problem)
    {
        WireValue root;
        try
        {
            root = cbor ? CborWireReader.Read(body) : JsonWireReader.Read(body.Span);
        }
        catch (Exception ex) when (ex is WireFormatException or FormatException)
        {
            problem = $"The body is not valid {(cbor ? "CBOR" : "JSON")}: {ex.Message}";
            return null;
        }

        var consumerArn = Text(root, "ConsumerARN");
        var shardId = Text(root, "ShardId");
        var position = root.Kind == WireKind.Map ? root["StartingPosition"] : WireValue.Null;
        var typeName = position.Kind == WireKind.Map ? Text(position, "Type") : null;
        if (consumerArn is null || shardId is null || typeName is null)
        {
            problem = "ConsumerARN, ShardId and StartingPosition.Type are required.";
            return null;
        }

        ShardIteratorType? type = typeName switch
        {
            "AT_SEQUENCE_NUMBER" => ShardIteratorType.AtSequenceNumber,
            "AFTER_SEQUENCE_NUMBER" => ShardIteratorType.AfterSequenceNumber,
            "TRIM_HORIZON" => ShardIteratorType.TrimHorizon,
            "LATEST" => ShardIteratorType.Latest,
            "AT_TIMESTAMP" => ShardIteratorType.AtTimestamp,
            _ => null,
        };
        if (type is null)
        {
            problem = $"StartingPosition.Type '{typeName}' is not one of AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP.";
            return null;
        }

        var sequenceNumber = Text(position, "SequenceNumber");
        DateTimeOffset? timestamp;
        try
        {
            timestamp = position["Timestamp"].AsTimestamp();
        }
        catch (Exception ex) when (ex is WireFormatException or FormatException)
        {
            problem = $"StartingPosition.Timestamp is not a timestamp: {ex.Message}";
            return null;
        }

        var needsSequence = type is ShardIteratorType.AtSequenceNumber or ShardIteratorType.AfterSequenceNumber;
        if (needsSequence != (sequenceNumber is not null) || (type == ShardIteratorType.AtTimestamp) != (timestamp is not null))
        {
            problem = $"StartingPosition {typeName} takes {(needsSequence ? "a SequenceNumber" : type == ShardIteratorType.AtTimestamp ? "a Timestamp" : "neither SequenceNumber nor Timestamp")}.";
            return null;
        }

        problem = null;
        return new SubscribeRequest(consumerArn, shardId, typeName, type.Value, sequenceNumber, timestamp);
    }

    private static string? Text(WireValue map, string name) =>
        map.Kind == WireKind.Map && map[name] is { Kind: WireKind.Text } value ? value.Text : null;
}
