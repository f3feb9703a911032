namespace Kinesis.Clients.Aggregation;

/// <summary>How the payload of a record envelope (<see cref="RecordCodec"/>) is compressed.</summary>
/// <remarks>The values are the algorithm byte of the envelope; they never change.</remarks>
public enum CompressionAlgorithm
{
    /// <summary>Not compressed: the payload is the original bytes.</summary>
    None = 0,

    /// <summary>Gzip (RFC 1952), as <c>System.IO.Compression.GZipStream</c> writes it.</summary>
    Gzip = 1,

    /// <summary>One or more Zstandard frames (RFC 8878), written with a content checksum.</summary>
    Zstd = 2,
}
