namespace Kinesis.Clients.Wire;

/// <summary>
/// Writes one request body in either AWS JSON 1.1 or AWS CBOR 1.1. Object and array sizes are
/// declared up front because CBOR maps here are definite-length (the JSON writer ignores them).
/// </summary>
internal interface IWireWriter
{
    void WriteStartObject(int propertyCount);

    void WriteEndObject();

    void WriteStartArray(int itemCount);

    void WriteEndArray();

    void WritePropertyName(string name);

    void WriteString(string value);

    void WriteInt64(long value);

    void WriteBoolean(bool value);

    /// <summary>A blob: a byte string in CBOR, base64 text in JSON.</summary>
    void WriteBlob(ReadOnlySpan<byte> value);

    /// <summary>
    /// A blob the caller keeps unchanged until the body is sent: a writer into a <see cref="Buffers.GatherBufferWriter"/>
    /// may send it from where it lies instead of copying it.
    /// </summary>
    void WriteBlob(ReadOnlyMemory<byte> value);

    /// <summary>A timestamp: tag 1 with epoch milliseconds in CBOR (the AWS CBOR 1.1 form), epoch seconds in JSON.</summary>
    void WriteTimestamp(DateTimeOffset value);
}
