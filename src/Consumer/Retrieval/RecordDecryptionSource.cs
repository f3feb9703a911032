using Amazon.KeyManagementService;
using Amazon.Runtime;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Encryption;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>
/// The consumer's one <see cref="RecordDecryptor"/>, shared by every shard reader, made at the first encrypted
/// record (so a consumer of unencrypted streams never makes a KMS client). Before a page is de-aggregated its data
/// keys are fetched, one Decrypt per key not yet cached; while KMS throttles or is unreachable the shard waits.
/// </summary>
internal sealed class RecordDecryptionSource : IDisposable
{
    private readonly RecordDecryption _settings;
    private readonly string _region;
    private readonly AWSCredentials? _credentials;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly Lock _gate = new();
    private AmazonKeyManagementServiceClient? _ownedKms;
    private RecordDecryptor? _decryptor;

    public RecordDecryptionSource(RecordDecryption settings, string region, AWSCredentials? credentials, TimeProvider time, ILogger? logger)
    {
        _settings = settings;
        _region = region;
        _credentials = credentials;
        _time = time;
        _logger = logger;
    }

    /// <summary>The decryptor with the keys of every encrypted record in <paramref name="records"/>; <see langword="null"/> when there is none.</summary>
    public async ValueTask<RecordDecryptor?> PrepareAsync(IReadOnlyList<KinesisRecord> records, CancellationToken cancellationToken)
    {
        var any = false;
        foreach (var record in records)
        {
            var data = record.Data.Span;
            if (data.Length > RecordCodec.HeaderLength && RecordCodec.IsEnveloped(data) && (data[6] & 0x01) != 0)
            {
                any = true;
                break;
            }
        }

        if (!any)
        {
            return null;
        }

        var decryptor = Decryptor();
        await decryptor.PrepareAsync(records.Select(r => r.Data), cancellationToken).ConfigureAwait(false);
        return decryptor;
    }

    public void Dispose()
    {
        _decryptor?.Dispose();
        _ownedKms?.Dispose();
    }

    private RecordDecryptor Decryptor()
    {
        lock (_gate)
        {
            if (_decryptor is null)
            {
                IAmazonKeyManagementService kms = _settings.KmsClient ?? (_ownedKms = KmsClientFactory.Create(_region, _credentials));
                _decryptor = new RecordDecryptor(kms, _settings, _time, _logger);
            }

            return _decryptor;
        }
    }
}
