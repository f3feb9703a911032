namespace Kinesis.Clients.Aggregation;

/// <summary>What <see cref="RecordCodec.TryDecode"/> found in a Kinesis record's data.</summary>
public enum RecordDecodeStatus
{
    /// <summary>No envelope: the data is what the producer wrote (a KPL aggregate or a plain record).</summary>
    NotEnveloped = 0,

    /// <summary>An envelope, opened: the decoded bytes are the original data.</summary>
    Decoded = 1,

    /// <summary>
    /// An envelope this reader cannot open: a newer version, an unknown algorithm or flags (for example an
    /// encrypted record). The data is passed on as it is.
    /// </summary>
    Unsupported = 2,

    /// <summary>
    /// An envelope that is damaged: truncated, a declared length over the limit or different from what the
    /// payload holds, or a payload that does not decompress. The data is passed on as it is.
    /// </summary>
    Corrupt = 3,
}
