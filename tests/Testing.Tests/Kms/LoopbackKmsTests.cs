using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;

namespace Kinesis.Clients.Testing.Tests.Kms;

/// <summary>The loopback KMS through the real AWSSDK.KeyManagementService client.</summary>
public sealed class LoopbackKmsTests : IAsyncLifetime
{
    private LoopbackKms _kms = null!;
    private AmazonKeyManagementServiceClient _client = null!;

    public async Task InitializeAsync()
    {
        _kms = await LoopbackKms.StartAsync();
        _client = _kms.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _kms.DisposeAsync();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_data_key_decrypts_to_its_plaintext_under_the_same_context_and_by_alias()
    {
        var key = _kms.CreateKey("alias/orders");
        var context = new Dictionary<string, string> { ["stream"] = "orders", ["tenant"] = "blue" };

        var generated = await _client.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = "alias/orders", KeySpec = DataKeySpec.AES_256, EncryptionContext = context });
        var decrypted = await _client.DecryptAsync(new DecryptRequest { CiphertextBlob = generated.CiphertextBlob, EncryptionContext = new(context), KeyId = key.Arn });

        Assert.Equal(key.Arn, generated.KeyId);
        Assert.Equal(32, generated.Plaintext.Length);
        Assert.Equal(generated.Plaintext.ToArray(), decrypted.Plaintext.ToArray());
        Assert.Equal(key.Arn, decrypted.KeyId);
        Assert.Equal(1, _kms.Count(KmsOperation.GenerateDataKey));
        Assert.Equal(1, _kms.Count(KmsOperation.Decrypt));
    }

    [Fact(Timeout = 30_000)]
    public async Task Encrypt_round_trips_and_decrypt_refuses_another_context_or_key()
    {
        var key = _kms.CreateKey();
        var other = _kms.CreateKey();
        var context = new Dictionary<string, string> { ["stream"] = "orders" };
        var encrypted = await _client.EncryptAsync(new EncryptRequest { KeyId = key.KeyId, Plaintext = new MemoryStream("secret"u8.ToArray()), EncryptionContext = context });

        var plain = await _client.DecryptAsync(new DecryptRequest { CiphertextBlob = Copy(encrypted.CiphertextBlob), EncryptionContext = context });
        var wrongContext = await Assert.ThrowsAsync<InvalidCiphertextException>(() => _client.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = Copy(encrypted.CiphertextBlob),
            EncryptionContext = new Dictionary<string, string> { ["stream"] = "payments" },
        }));
        var wrongKey = await Assert.ThrowsAsync<IncorrectKeyException>(() => _client.DecryptAsync(new DecryptRequest
        {
            CiphertextBlob = Copy(encrypted.CiphertextBlob),
            EncryptionContext = context,
            KeyId = other.Arn,
        }));
        var notOurs = await Assert.ThrowsAsync<InvalidCiphertextException>(() => _client.DecryptAsync(new DecryptRequest { CiphertextBlob = new MemoryStream(new byte[64]) }));

        Assert.Equal("secret"u8.ToArray(), plain.Plaintext.ToArray());
        Assert.Equal("InvalidCiphertextException", wrongContext.ErrorCode);
        Assert.Equal("IncorrectKeyException", wrongKey.ErrorCode);
        Assert.Equal("InvalidCiphertextException", notOurs.ErrorCode);
        Assert.Equal(3, _kms.Count(KmsOperation.Decrypt, "InvalidCiphertextException") + _kms.Count(KmsOperation.Decrypt, "IncorrectKeyException"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_denied_operation_is_refused_on_that_key_only_and_unknown_keys_are_not_found()
    {
        var denied = _kms.CreateKey();
        var allowed = _kms.CreateKey();
        _kms.Deny(denied, KmsOperation.GenerateDataKey);

        var refused = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => Generate(denied.KeyId));
        await Generate(allowed.KeyId);
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => Generate("alias/nothing"));
        _kms.Allow(denied, KmsOperation.GenerateDataKey);
        await Generate(denied.KeyId);

        Assert.Equal("AccessDeniedException", refused.ErrorCode);
        Assert.Contains(denied.Arn, refused.Message, StringComparison.Ordinal);
        Assert.Equal("NotFoundException", missing.ErrorCode);
        Assert.Equal((2, 1, 1), (_kms.Count(KmsOperation.GenerateDataKey), _kms.Count(KmsOperation.GenerateDataKey, "AccessDeniedException"), _kms.Count(KmsOperation.GenerateDataKey, "NotFoundException")));
    }

    [Fact(Timeout = 30_000)]
    public async Task Throttling_answers_with_throttling_exception_until_it_is_lifted()
    {
        var key = _kms.CreateKey();
        _kms.ThrottleNext(2);

        var first = await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => Generate(key.KeyId));
        await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => Generate(key.KeyId));
        await Generate(key.KeyId);
        _kms.ThrottleAll = true;
        await Assert.ThrowsAsync<AmazonKeyManagementServiceException>(() => Generate(key.KeyId));
        _kms.ThrottleAll = false;
        await Generate(key.KeyId);

        Assert.Equal("ThrottlingException", first.ErrorCode);
        Assert.Equal((2, 3), (_kms.Count(KmsOperation.GenerateDataKey), _kms.Count(KmsOperation.GenerateDataKey, "ThrottlingException")));
    }

    private Task<GenerateDataKeyResponse> Generate(string keyId) =>
        _client.GenerateDataKeyAsync(new GenerateDataKeyRequest { KeyId = keyId, KeySpec = DataKeySpec.AES_256 });

    private static MemoryStream Copy(MemoryStream stream) => new(stream.ToArray());
}
