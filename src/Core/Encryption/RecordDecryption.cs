using Amazon.KeyManagementService;

namespace Kinesis.Clients.Encryption;

/// <summary>How a reader keeps the data keys it had KMS decrypt (<see cref="RecordDecryptor"/>).</summary>
public sealed record RecordDecryption
{
    /// <summary>The default <see cref="MaxCachedDataKeys"/>.</summary>
    public const int DefaultMaxCachedDataKeys = 1000;

    /// <summary>The default <see cref="MaxDataKeyAge"/>: five minutes, the producer's default rotation.</summary>
    public static readonly TimeSpan DefaultMaxDataKeyAge = TimeSpan.FromMinutes(5);

    /// <summary>How many data keys (and refusals) are kept; the least recently used goes first. <value>Default: 1,000.</value></summary>
    public int MaxCachedDataKeys { get; init; } = DefaultMaxCachedDataKeys;

    /// <summary>
    /// How long a decrypted data key (or KMS's refusal to decrypt it) is kept before KMS is asked again.
    /// <value>Default: 5 minutes.</value>
    /// </summary>
    public TimeSpan MaxDataKeyAge { get; init; } = DefaultMaxDataKeyAge;

    /// <summary>The longest wait between tries while KMS is throttling or unreachable. <value>Default: 5 seconds.</value></summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The KMS client a consumer decrypts with; when <see langword="null"/>, one is made with the consumer's region and
    /// credentials at the first encrypted record (never, when there is none). <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public IAmazonKeyManagementService? KmsClient { get; init; }

    /// <summary>Throws when a value is out of range.</summary>
    /// <param name="name">The option's name, for the message.</param>
    /// <exception cref="ArgumentException">A value is not valid.</exception>
    public void Validate(string name)
    {
        if (MaxCachedDataKeys < 1)
        {
            throw new ArgumentException($"{name}.MaxCachedDataKeys must be at least 1; got {MaxCachedDataKeys}.", name);
        }

        if (MaxDataKeyAge <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name}.MaxDataKeyAge must be positive; got {MaxDataKeyAge}.", name);
        }

        if (MaxRetryDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{name}.MaxRetryDelay must be positive; got {MaxRetryDelay}.", name);
        }
    }
}
