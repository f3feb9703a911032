using System.Text.Json;

namespace Kinesis.Clients.Wire;

/// <summary>Decodes an AWS JSON 1.1 body into a <see cref="WireValue"/> tree.</summary>
internal static class JsonWireReader
{
    private const int MaxDepth = 64;

    public static WireValue Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return WireValue.FromMap(new Dictionary<string, WireValue>());
        }

        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read())
            {
                return WireValue.FromMap(new Dictionary<string, WireValue>());
            }

            var value = ReadValue(ref reader);
            if (reader.Read())
            {
                throw new WireFormatException("Unexpected content after the JSON body.");
            }

            return value;
        }
        catch (JsonException ex)
        {
            throw new WireFormatException($"The response body is not valid JSON: {ex.Message}", ex);
        }
    }

    private static WireValue ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var map = new Dictionary<string, WireValue>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    map[name] = ReadValue(ref reader);
                }

                return WireValue.FromMap(map);
            case JsonTokenType.StartArray:
                var items = new List<WireValue>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(ReadValue(ref reader));
                }

                return WireValue.FromArray(items);
            case JsonTokenType.String:
                return WireValue.FromText(reader.GetString()!);
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var integer)
                    ? WireValue.FromInteger(integer)
                    : WireValue.FromFloat(reader.GetDouble());
            case JsonTokenType.True:
                return WireValue.FromBoolean(true);
            case JsonTokenType.False:
                return WireValue.FromBoolean(false);
            case JsonTokenType.Null:
                return WireValue.Null;
            default:
                throw new WireFormatException($"Unexpected JSON token {reader.TokenType}.");
        }
    }
}
