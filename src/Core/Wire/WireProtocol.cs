namespace Kinesis.Clients;

/// <summary>The body encoding used to talk to Kinesis.</summary>
public enum WireProtocol
{
    /// <summary>
    /// AWS CBOR 1.1 (<c>application/x-amz-cbor-1.1</c>): record data travels as raw bytes instead of
    /// base64, so requests are smaller and cheaper to build. The default, as in the AWS SDKs.
    /// </summary>
    Cbor = 0,

    /// <summary>AWS JSON 1.1 (<c>application/x-amz-json-1.1</c>): readable on the wire.</summary>
    Json = 1,
}
