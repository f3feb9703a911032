using System.Net;
using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Amazon.Runtime;

namespace Kinesis.Clients.Encryption;

/// <summary>
/// The two KMS calls record encryption makes, with the SDK's exceptions turned into this suite's error family, so
/// a producer retries a throttled or unreachable KMS exactly as it retries Kinesis.
/// </summary>
internal static class KmsCalls
{
    public const string ServiceName = "KMS";

    /// <summary>A new 256-bit data key under <paramref name="keyId"/>, bound to <paramref name="context"/>.</summary>
    public static async Task<(byte[] Plaintext, byte[] EncryptedKey, string KeyId)> GenerateDataKeyAsync(
        IAmazonKeyManagementService kms, string keyId, Dictionary<string, string> context, CancellationToken cancellationToken)
    {
        try
        {
            var response = await kms.GenerateDataKeyAsync(
                new GenerateDataKeyRequest { KeyId = keyId, KeySpec = DataKeySpec.AES_256, EncryptionContext = context },
                cancellationToken).ConfigureAwait(false);
            var plaintext = response.Plaintext.ToArray();
            var encrypted = response.CiphertextBlob.ToArray();
            if (plaintext.Length != EncryptedHeader.KeyLength || encrypted.Length is 0 or > EncryptedHeader.MaxEncryptedKeyBytes
                || System.Text.Encoding.UTF8.GetByteCount(response.KeyId ?? "") is 0 or > EncryptedHeader.MaxKeyIdBytes)
            {
                throw new AwsServiceException(
                    new AwsErrorDetails(ServiceName, "GenerateDataKey", "InvalidDataKey", null, response.ResponseMetadata?.RequestId, false, false),
                    $"KMS returned a data key this envelope cannot carry: {plaintext.Length} key bytes (32 needed), {encrypted.Length} encrypted bytes (at most {EncryptedHeader.MaxEncryptedKeyBytes}), key id '{response.KeyId}'.");
            }

            return (plaintext, encrypted, response.KeyId!);
        }
        catch (Exception ex) when (Convert(ex, "GenerateDataKey", keyId) is { } converted)
        {
            throw converted;
        }
    }

    /// <summary>The plaintext of a data key, checked by KMS against the key id and context.</summary>
    public static async Task<byte[]> DecryptAsync(
        IAmazonKeyManagementService kms, string keyId, ReadOnlyMemory<byte> encryptedKey, Dictionary<string, string> context,
        CancellationToken cancellationToken)
    {
        try
        {
            var response = await kms.DecryptAsync(
                new DecryptRequest
                {
                    KeyId = keyId,
                    CiphertextBlob = new MemoryStream(encryptedKey.ToArray(), writable: false),
                    EncryptionContext = context,
                },
                cancellationToken).ConfigureAwait(false);
            var plaintext = response.Plaintext.ToArray();
            return plaintext.Length == EncryptedHeader.KeyLength
                ? plaintext
                : throw new AwsServiceException(
                    new AwsErrorDetails(ServiceName, "Decrypt", "InvalidDataKey", null, response.ResponseMetadata?.RequestId, false, false),
                    $"KMS decrypted a data key of {plaintext.Length} bytes under {keyId}; 32 are needed.");
        }
        catch (Exception ex) when (Convert(ex, "Decrypt", keyId) is { } converted)
        {
            throw converted;
        }
    }

    private static AwsServiceException? Convert(Exception exception, string operation, string keyId)
    {
        switch (exception)
        {
            case AwsServiceException:
            case OperationCanceledException:
                return null;
            case AmazonServiceException service:
                {
                    var code = string.IsNullOrEmpty(service.ErrorCode) ? null : service.ErrorCode;
                    HttpStatusCode? status = service.StatusCode == 0 ? null : service.StatusCode;
                    var details = AwsErrorDetails.Classify(ServiceName, operation, code, status, service.RequestId);
                    return new AwsServiceException(details, $"KMS {operation} under {keyId} failed with {code ?? status?.ToString() ?? "no response"}: {service.Message}", service);
                }

            case AmazonClientException or HttpRequestException or IOException:
                return new AwsServiceException(
                    new AwsErrorDetails(ServiceName, operation, null, null, null, IsRetryable: true, IsThrottling: false),
                    $"KMS {operation} under {keyId} failed without an answer: {exception.Message}", exception);
            default:
                return null;
        }
    }
}
