using System.Buffers;
using System.Text.Json;

namespace Kinesis.Clients.Wire;

/// <summary>AWS JSON 1.1 body writer over <see cref="Utf8JsonWriter"/>.</summary>
internal sealed class JsonWireWriter : IWireWriter, IDisposable
{
    private readonly Utf8JsonWriter _writer;

    public JsonWireWriter(IBufferWriter<byte> output)
    {
        _writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = false });
    }

    public void WriteStartObject(int propertyCount) => _writer.WriteStartObject();

    public void WriteEndObject() => _writer.WriteEndObject();

    public void WriteStartArray(int itemCount) => _writer.WriteStartArray();

    public void WriteEndArray() => _writer.WriteEndArray();

    public void WritePropertyName(string name) => _writer.WritePropertyName(name);

    public void WriteString(string value) => _writer.WriteStringValue(value);

    public void WriteInt64(long value) => _writer.WriteNumberValue(value);

    public void WriteBoolean(bool value) => _writer.WriteBooleanValue(value);

    public void WriteBlob(ReadOnlySpan<byte> value) => _writer.WriteBase64StringValue(value);

    public void WriteBlob(ReadOnlyMemory<byte> value) => WriteBlob(value.Span);

    public void WriteTimestamp(DateTimeOffset value) =>
        _writer.WriteNumberValue(value.ToUnixTimeMilliseconds() / 1000.0);

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();
}
