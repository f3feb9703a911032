using System.Buffers;
using System.Text.Json;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// ADDEC2METADATA as the Java agent does it: the record is read as a JSON object and the instance identity's fields
/// are put into it (a field the record already has keeps its place and takes the identity's value; the others are
/// appended), then written as Jackson writes a map. Without an identity the record passes unchanged; a record that is
/// not a JSON object fails (sent raw, counted), as the Java agent falls back to the raw data.
/// </summary>
internal sealed class AddEc2MetadataConverter(Func<JsonElement?> identity) : IRecordConverter
{
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 256 };

    /// <inheritdoc/>
    public ProcessingOutcome Convert(ReadOnlySpan<byte> record, IBufferWriter<byte> target)
    {
        if (identity() is not { } metadata)
        {
            return ProcessingOutcome.Unchanged;
        }

        JsonDocument document;
        try
        {
            // Jackson reads the first value and ignores what follows it.
            var reader = new Utf8JsonReader(Utf8Text.Repair(record), new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = ReadOptions.MaxDepth });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return ProcessingOutcome.Failed;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ProcessingOutcome.Failed;
            }

            var properties = root.EnumerateObject().ToList();
            var written = new HashSet<string>(StringComparer.Ordinal);
            Utf8Text.Write(target, (byte)'{');
            foreach (var property in properties)
            {
                if (written.Add(property.Name))
                {
                    var value = metadata.TryGetProperty(property.Name, out var replaced)
                        ? replaced
                        : properties.Last(p => p.Name == property.Name).Value;
                    Member(target, property.Name, value, written.Count == 1);
                }
            }

            foreach (var field in metadata.EnumerateObject())
            {
                if (written.Add(field.Name))
                {
                    Member(target, field.Name, field.Value, written.Count == 1);
                }
            }

            Utf8Text.Write(target, (byte)'}');
            return ProcessingOutcome.Converted;
        }
    }

    private static void Member(IBufferWriter<byte> target, string name, JsonElement value, bool first)
    {
        if (!first)
        {
            Utf8Text.Write(target, (byte)',');
        }

        JacksonJson.WriteString(target, name.AsSpan());
        Utf8Text.Write(target, (byte)':');
        MetadataWriter.Write(value, target);
    }
}
