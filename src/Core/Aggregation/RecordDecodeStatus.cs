namespace Kinesis.Clients.Aggregation;

/// <summary>What <see cref="RecordCodec.TryDecode"/> found in a Kinesis record's data.</summary>
public enum RecordDecodeStatus
{
    /// <summary>No envelope: the data is what the producer wrote (a KPL aggregate or a plain record).</summary>
    NotEnveloped = 0,

    /// <summary>An envelope, opened: the decoded bytes are the original data.</summary>
    Decoded = 1,

    /// <summary>
    /// An envelope this reader cannot open: a newer version, an unknown algorithm or flags, or an encrypted
    /// record read without a <c>RecordDecryptor</c>. The data is passed on as it is.
    /// </summary>
    Unsupported = 2,

    /// <summary>
    /// An envelope that is damaged: truncated, a declared length over the limit or different from what the
    /// payload holds, or a payload that does not decompress. The data is passed on as it is.
    /// </summary>
    Corrupt = 3,

    /// <summary>
    /// An encrypted envelope that could not be opened: KMS refused its data key (access denied, another encryption
    /// context, an unknown or disabled key), or it does not authenticate (a header field or the ciphertext was
    /// changed). The data is never passed on as if it were the original.
    /// </summary>
    DecryptionFailed = 4,
}
