using System.Buffers.Binary;
using System.Security.Cryptography;
using Amazon.KeyManagementService;
using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Encryption;

/// <summary>
/// Encrypts Kinesis records into the encrypted record envelope (AES-256-GCM under a KMS data key), for one
/// stream. A data key is asked of KMS (GenerateDataKey) only when none is held or the one held has reached
/// <see cref="RecordEncryption.MaxDataKeyAge"/>, <see cref="RecordEncryption.MaxRecordsPerDataKey"/> or
/// <see cref="RecordEncryption.MaxBytesPerDataKey"/>; every other record is encrypted without any call.
/// Thread-safe: one key is shared by all callers, and one call to KMS is made at a time.
/// </summary>
public sealed class RecordEncryptor : IDisposable
{
    private readonly IAmazonKeyManagementService _kms;
    private readonly RecordEncryption _settings;
    private readonly Dictionary<string, string> _context;
    private readonly byte[] _contextBytes;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private DataKey? _current;
    private long _dataKeysGenerated;

    /// <summary>Creates an encryptor for one stream.</summary>
    /// <param name="kms">The KMS client that generates data keys.</param>
    /// <param name="settings">The key, context and bounds (validated here).</param>
    /// <param name="streamName">The stream: it goes into the encryption context.</param>
    /// <param name="timeProvider">The clock for the keys' age. <value>Default: <see cref="TimeProvider.System"/>.</value></param>
    /// <exception cref="ArgumentException">A setting is not valid.</exception>
    public RecordEncryptor(IAmazonKeyManagementService kms, RecordEncryption settings, string streamName, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(kms);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(streamName);
        settings.Validate(nameof(settings));
        _kms = kms;
        _settings = settings;
        _context = settings.ContextFor(streamName);
        _contextBytes = EncryptionContextFormat.Write(_context);
        _time = timeProvider ?? TimeProvider.System;
        MaxOverhead = EncryptedHeader.MaxOverhead(_contextBytes.Length);
    }

    /// <summary>The most bytes encryption adds to a record's data (header, key reference, context, nonce, tag).</summary>
    public int MaxOverhead { get; }

    /// <summary>How many data keys have been asked of KMS so far.</summary>
    public long DataKeysGenerated => Interlocked.Read(ref _dataKeysGenerated);

    /// <summary>The most bytes <see cref="EncryptAsync"/> writes for data of a given length.</summary>
    /// <param name="dataLength">The length of the data (or unencrypted envelope) to encrypt.</param>
    /// <returns>The bound.</returns>
    public int MaxEncryptedLength(int dataLength) => dataLength + MaxOverhead;

    /// <summary>
    /// Encrypts a record's data into <paramref name="destination"/>: either plain data (any bytes, the envelope
    /// records algorithm none) or an unencrypted record envelope written by <see cref="RecordEncoder"/> (its
    /// compressed payload is encrypted, its algorithm and original length kept).
    /// </summary>
    /// <remarks>
    /// <paramref name="data"/> is read after the call may have waited for a data key from KMS: the caller must leave
    /// it unchanged until the returned task has completed (also when it fails or is cancelled).
    /// </remarks>
    /// <param name="data">The data or envelope; unchanged until the task completes.</param>
    /// <param name="isEnvelope">Whether <paramref name="data"/> is an unencrypted envelope rather than plain data.</param>
    /// <param name="destination">At least <see cref="MaxEncryptedLength"/> bytes.</param>
    /// <param name="cancellationToken">Cancels a wait for KMS.</param>
    /// <returns>The encrypted envelope's length.</returns>
    /// <exception cref="AwsServiceException">KMS could not give a data key (<see cref="AwsServiceException.IsRetryable"/> says whether trying again may help).</exception>
    public async ValueTask<int> EncryptAsync(ReadOnlyMemory<byte> data, bool isEnvelope, byte[] destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (algorithm, originalLength, payload) = isEnvelope ? OpenEnvelope(data) : (CompressionAlgorithm.None, data.Length, data);
        if (originalLength > RecordCodec.MaxDecodedLength)
        {
            throw new ArgumentException($"An envelope holds at most {RecordCodec.MaxDecodedLength} bytes; the data has {originalLength}.", nameof(data));
        }

        if (destination.Length < MaxEncryptedLength(data.Length))
        {
            throw new ArgumentException($"Destination must hold {MaxEncryptedLength(data.Length)} bytes; it has {destination.Length}.", nameof(destination));
        }

        var key = _current;
        long use;
        while (key is null || !IsFresh(key) || !key.TryUse(payload.Length, _settings.MaxRecordsPerDataKey, _settings.MaxBytesPerDataKey, out use))
        {
            key = await NextKeyAsync(key, cancellationToken).ConfigureAwait(false);
        }

        Span<byte> nonce = stackalloc byte[EncryptedHeader.NonceLength];
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], use);
        var headerLength = EncryptedHeader.Write(destination, algorithm, originalLength, key.KeyIdBytes, key.EncryptedKey, _contextBytes, nonce);
        var ciphertext = destination.AsSpan(headerLength, payload.Length);
        var tag = destination.AsSpan(headerLength + payload.Length, EncryptedHeader.TagLength);
        using (var aes = new AesGcm(key.Plaintext, EncryptedHeader.TagLength))
        {
            aes.Encrypt(nonce, payload.Span, ciphertext, tag, destination.AsSpan(0, headerLength));
        }

        return headerLength + payload.Length + EncryptedHeader.TagLength;
    }

    /// <summary>Forgets the data key held.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _current, null) is { } key)
        {
            CryptographicOperations.ZeroMemory(key.Plaintext);
        }

        _refresh.Dispose();
    }

    private bool IsFresh(DataKey key) => _time.GetElapsedTime(key.CreatedAt) < _settings.MaxDataKeyAge;

    private async ValueTask<DataKey> NextKeyAsync(DataKey? spent, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have replaced the spent key while this one waited.
            var current = _current;
            if (current is not null && !ReferenceEquals(current, spent) && IsFresh(current))
            {
                return current;
            }

            var (plaintext, encryptedKey, keyId) = await KmsCalls.GenerateDataKeyAsync(_kms, _settings.KeyId, _context, cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _dataKeysGenerated);
            var next = new DataKey(plaintext, encryptedKey, keyId, _time.GetTimestamp());
            Volatile.Write(ref _current, next);
            return next;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private static (CompressionAlgorithm Algorithm, int OriginalLength, ReadOnlyMemory<byte> Payload) OpenEnvelope(ReadOnlyMemory<byte> envelope)
    {
        var span = envelope.Span;
        if (span.Length < EnvelopeFormat.HeaderLength || !EnvelopeFormat.HasMagic(span)
            || span[EnvelopeFormat.VersionOffset] != EnvelopeFormat.Version1 || span[EnvelopeFormat.FlagsOffset] != 0)
        {
            throw new ArgumentException("The data is not an unencrypted version 1 record envelope.", nameof(envelope));
        }

        return ((CompressionAlgorithm)span[EnvelopeFormat.AlgorithmOffset],
            (int)BinaryPrimitives.ReadUInt32BigEndian(span[EnvelopeFormat.LengthOffset..]),
            envelope[EnvelopeFormat.HeaderLength..]);
    }
}
