using Amazon.KeyManagementService;

namespace Kinesis.Clients.Encryption;

/// <summary>
/// Client-side encryption of Kinesis records with AWS KMS data keys (envelope encryption): which KMS key, which
/// encryption context, and how long one data key is used before a new one is asked for.
/// </summary>
/// <remarks>
/// The bounds play the part of the AWS Encryption SDK's caching materials manager thresholds. That SDK has no
/// default age (it must be given); its defaults for messages (2^32) and bytes (2^63 − 1) are kept here, per data
/// key, where one message is one Kinesis record.
/// </remarks>
public sealed record RecordEncryption
{
    /// <summary>The encryption-context key that always carries the stream's name.</summary>
    public const string StreamContextKey = "kinesis:stream-name";

    /// <summary>The default <see cref="MaxDataKeyAge"/>: five minutes.</summary>
    public static readonly TimeSpan DefaultMaxDataKeyAge = TimeSpan.FromMinutes(5);

    /// <summary>The default and largest <see cref="MaxRecordsPerDataKey"/>: 2^32, the AES-GCM bound for one key.</summary>
    public const long DefaultMaxRecordsPerDataKey = 1L << 32;

    /// <summary>The default <see cref="MaxBytesPerDataKey"/>: 2^63 − 1, no bound in practice.</summary>
    public const long DefaultMaxBytesPerDataKey = long.MaxValue;

    /// <summary>Creates a setting for a KMS key.</summary>
    /// <param name="keyId">A KMS key id, key ARN, alias name (<c>alias/...</c>) or alias ARN.</param>
    public RecordEncryption(string keyId)
    {
        KeyId = keyId;
    }

    /// <summary>The KMS key that wraps the data keys (GenerateDataKey's KeyId).</summary>
    public string KeyId { get; init; }

    /// <summary>
    /// Pairs added to the encryption context (KMS binds them to each data key; readers need the same to decrypt).
    /// The stream name is always added under <see cref="StreamContextKey"/>.
    /// <value>Default: empty.</value>
    /// </summary>
    public IReadOnlyDictionary<string, string> EncryptionContext { get; init; } = new Dictionary<string, string>();

    /// <summary>How long one data key is used for new records. <value>Default: 5 minutes.</value></summary>
    public TimeSpan MaxDataKeyAge { get; init; } = DefaultMaxDataKeyAge;

    /// <summary>How many Kinesis records one data key encrypts, at most 2^32. <value>Default: 2^32.</value></summary>
    public long MaxRecordsPerDataKey { get; init; } = DefaultMaxRecordsPerDataKey;

    /// <summary>How many plaintext bytes one data key encrypts. <value>Default: 2^63 − 1.</value></summary>
    public long MaxBytesPerDataKey { get; init; } = DefaultMaxBytesPerDataKey;

    /// <summary>
    /// The KMS client; when <see langword="null"/>, one is made with the owner's region and credentials (its
    /// endpoint from <c>AWS_ENDPOINT_URL_KMS</c> or <c>AWS_ENDPOINT_URL</c> when set, as every AWS SDK does).
    /// <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public IAmazonKeyManagementService? KmsClient { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <param name="name">The option's name, for the message.</param>
    /// <exception cref="ArgumentException">A value is not valid.</exception>
    public void Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(KeyId))
        {
            throw new ArgumentException($"{name}.KeyId must name a KMS key.", name);
        }

        if (EncryptionContext is null)
        {
            throw new ArgumentException($"{name}.EncryptionContext must not be null.", name);
        }

        if (EncryptionContext.ContainsKey(StreamContextKey))
        {
            throw new ArgumentException($"{name}.EncryptionContext must not set {StreamContextKey}: the stream name goes there.", name);
        }

        if (MaxDataKeyAge <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name}.MaxDataKeyAge must be positive; got {MaxDataKeyAge}.", name);
        }

        if (MaxRecordsPerDataKey is < 1 or > DefaultMaxRecordsPerDataKey)
        {
            throw new ArgumentException($"{name}.MaxRecordsPerDataKey must be between 1 and 2^32; got {MaxRecordsPerDataKey}.", name);
        }

        if (MaxBytesPerDataKey < 1)
        {
            throw new ArgumentException($"{name}.MaxBytesPerDataKey must be positive; got {MaxBytesPerDataKey}.", name);
        }
    }

    /// <summary>
    /// The most bytes encryption adds to a Kinesis record of any stream (the longest stream name, 128 characters):
    /// a producer accepts user records up to MaxUserRecordSize less this, so that encrypted they still fit.
    /// </summary>
    /// <returns>The bound in bytes.</returns>
    public int MaxOverhead() => EncryptedHeader.MaxOverhead(EncryptionContextFormat.Write(ContextFor(new string('s', 128))).Length);

    /// <summary>The context for one stream: <see cref="EncryptionContext"/> plus the stream name.</summary>
    /// <param name="streamName">The stream.</param>
    /// <returns>A new dictionary.</returns>
    public Dictionary<string, string> ContextFor(string streamName) =>
        new(EncryptionContext, StringComparer.Ordinal) { [StreamContextKey] = streamName };
}
