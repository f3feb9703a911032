using System.Collections.Concurrent;
using Amazon.KeyManagementService;
using Kinesis.Clients.Aggregation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kinesis.Clients.Encryption;

/// <summary>
/// Opens encrypted record envelopes: asks KMS (Decrypt) for each data key once and keeps it in a bounded cache
/// (<see cref="RecordDecryption"/>). For readers without this suite's consumer, such as a Lambda function:
/// <c>await decryptor.DecodeAsync(data)</c>, or <see cref="PrepareAsync"/> and then the
/// <see cref="Deaggregator"/> overload that takes a decryptor.
/// </summary>
/// <remarks>
/// KMS throttling or being unreachable is waited out (backoff up to <see cref="RecordDecryption.MaxRetryDelay"/>,
/// until cancelled); a refusal (access denied, wrong context, unknown or disabled key, a blob that is not KMS's)
/// is kept for <see cref="RecordDecryption.MaxDataKeyAge"/> and each record under that key fails with the reason,
/// logged once per key. Thread-safe.
/// </remarks>
public sealed class RecordDecryptor : IDisposable
{
    private readonly IAmazonKeyManagementService _kms;
    private readonly RecordDecryption _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly DataKeyCache _cache;
    private readonly ConcurrentDictionary<string, byte> _refusalsLogged = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _calls = new(1, 1);
    private long _decryptCalls;

    /// <summary>Creates a decryptor.</summary>
    /// <param name="kms">The KMS client that decrypts data keys.</param>
    /// <param name="settings">The cache's bounds. <value>Default: <see cref="RecordDecryption"/>'s defaults.</value></param>
    /// <param name="timeProvider">The clock for the cache. <value>Default: <see cref="TimeProvider.System"/>.</value></param>
    /// <param name="logger">Where refusals are logged. <value>Default: none.</value></param>
    /// <exception cref="ArgumentException">A setting is not valid.</exception>
    public RecordDecryptor(IAmazonKeyManagementService kms, RecordDecryption? settings = null, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(kms);
        _settings = settings ?? new RecordDecryption();
        _settings.Validate(nameof(settings));
        _kms = kms;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _cache = new DataKeyCache(_settings.MaxCachedDataKeys, _settings.MaxDataKeyAge, _time);
    }

    /// <summary>How many Decrypt calls have been made to KMS.</summary>
    public long DecryptCalls => Interlocked.Read(ref _decryptCalls);

    /// <summary>
    /// Makes sure the data key of every encrypted envelope among <paramref name="records"/> is in the cache (or its
    /// refusal is), so that decoding them afterwards makes no call. One Decrypt per distinct data key.
    /// </summary>
    /// <param name="records">Kinesis records' data; anything not an encrypted envelope is ignored.</param>
    /// <param name="cancellationToken">Stops waiting for KMS.</param>
    /// <returns>A task that completes when every key is known.</returns>
    public async Task PrepareAsync(IEnumerable<ReadOnlyMemory<byte>> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        List<EncryptedHeader>? missing = null;
        HashSet<string>? seen = null;
        foreach (var data in records)
        {
            if (!IsEncrypted(data.Span) || !EncryptedHeader.TryRead(data, out var header, out _))
            {
                continue;
            }

            var cacheKey = DataKeyCache.KeyOf(header);
            if (!_cache.TryGet(cacheKey, out _) && (seen ??= new(StringComparer.Ordinal)).Add(cacheKey))
            {
                (missing ??= []).Add(header);
            }
        }

        if (missing is null)
        {
            return;
        }

        await _calls.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var header in missing)
            {
                await ResolveAsync(header, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _calls.Release();
        }
    }

    /// <summary>Opens a record's envelope, encrypted or not; data without one is returned as it is.</summary>
    /// <param name="data">A Kinesis record's data.</param>
    /// <param name="cancellationToken">Stops waiting for KMS.</param>
    /// <returns>The original bytes.</returns>
    /// <exception cref="InvalidDataException">The envelope is damaged, does not authenticate, or its key was refused; the message says which.</exception>
    public async Task<ReadOnlyMemory<byte>> DecodeAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await PrepareAsync([data], cancellationToken).ConfigureAwait(false);
        var status = RecordDecoder.Decode(data, this, out var decoded, out var problem);
        return status is RecordDecodeStatus.Decoded or RecordDecodeStatus.NotEnveloped ? decoded : throw new InvalidDataException(problem);
    }

    /// <summary>Forgets every key.</summary>
    public void Dispose() => _calls.Dispose();

    /// <summary>The data key of an envelope from the cache; never calls KMS.</summary>
    internal bool TryGetKey(in EncryptedHeader header, out byte[] key, out string? problem)
    {
        if (_cache.TryGet(DataKeyCache.KeyOf(header), out var entry) && entry.Key is { } found)
        {
            key = found;
            problem = null;
            return true;
        }

        key = [];
        problem = entry.Problem ?? $"The data key under {header.KeyId} has not been decrypted (call PrepareAsync first).";
        return false;
    }

    private static bool IsEncrypted(ReadOnlySpan<byte> data) =>
        data.Length > EnvelopeFormat.HeaderLength && EnvelopeFormat.HasMagic(data)
        && data[EnvelopeFormat.VersionOffset] == EnvelopeFormat.Version1
        && (data[EnvelopeFormat.FlagsOffset] & EnvelopeFormat.EncryptedFlag) != 0;

    private async Task ResolveAsync(EncryptedHeader header, CancellationToken cancellationToken)
    {
        var cacheKey = DataKeyCache.KeyOf(header);
        if (_cache.TryGet(cacheKey, out _))
        {
            return;
        }

        EncryptionContextFormat.TryRead(header.Context.Span, out var context, out _);
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                Interlocked.Increment(ref _decryptCalls);
                var key = await KmsCalls.DecryptAsync(_kms, header.KeyId, header.EncryptedKey, context, cancellationToken).ConfigureAwait(false);
                _cache.Add(cacheKey, key, null);
                return;
            }
            catch (AwsServiceException ex) when (ex.IsRetryable)
            {
                EncryptionLog.DecryptRetry(_logger, header.KeyId, ex.ErrorCode, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _settings.MaxRetryDelay.Ticks));
            }
            catch (AwsServiceException ex)
            {
                var reason = $"KMS refused the data key under {header.KeyId}: {ex.ErrorCode}: {ex.InnerException?.Message ?? ex.Message}";
                _cache.Add(cacheKey, null, reason);
                if (_refusalsLogged.TryAdd(header.KeyId + "|" + ex.ErrorCode, 0))
                {
                    EncryptionLog.KeyRefused(_logger, header.KeyId, ex.ErrorCode, ex.InnerException?.Message ?? ex.Message);
                }

                return;
            }
        }
    }
}
