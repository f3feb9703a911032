using System.Buffers.Binary;
using Kinesis.Clients.Encryption;
using Kinesis.Clients.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Tests.Encryption;

public sealed class DataKeyRotationTests(KmsFixture fixture) : IClassFixture<KmsFixture>
{
    [Fact(Timeout = 30_000)]
    public async Task One_data_key_serves_many_records_until_its_age_runs_out()
    {
        var key = fixture.Kms.CreateKey();
        var time = new FakeTimeProvider();
        var before = fixture.Kms.Count(KmsOperation.GenerateDataKey);
        using var encryptor = new RecordEncryptor(fixture.Client, new RecordEncryption(key.Arn) { MaxDataKeyAge = TimeSpan.FromMinutes(5) }, "orders", time);

        var first = await EncryptManyAsync(encryptor, 100, 10);
        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        var stillFirst = await EncryptManyAsync(encryptor, 1, 10);
        time.Advance(TimeSpan.FromTicks(1));
        var second = await EncryptManyAsync(encryptor, 1, 10);

        Assert.Single(first.Select(EncryptedKeyOf).Distinct());
        Assert.Equal(EncryptedKeyOf(first[0]), EncryptedKeyOf(stillFirst[0]));
        Assert.NotEqual(EncryptedKeyOf(first[0]), EncryptedKeyOf(second[0]));
        Assert.Equal(2, encryptor.DataKeysGenerated);
        Assert.Equal(2, fixture.Kms.Count(KmsOperation.GenerateDataKey) - before);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_data_key_is_replaced_after_its_record_bound()
    {
        var key = fixture.Kms.CreateKey();
        using var encryptor = new RecordEncryptor(fixture.Client, new RecordEncryption(key.Arn) { MaxRecordsPerDataKey = 3 }, "orders", new FakeTimeProvider());

        var envelopes = await EncryptManyAsync(encryptor, 7, 10);

        Assert.Equal(3, encryptor.DataKeysGenerated);
        Assert.Equal([3, 3, 1], envelopes.GroupBy(EncryptedKeyOf).Select(g => g.Count()));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_data_key_is_replaced_after_its_byte_bound_but_its_first_use_is_always_allowed()
    {
        var key = fixture.Kms.CreateKey();
        using var encryptor = new RecordEncryptor(fixture.Client, new RecordEncryption(key.Arn) { MaxBytesPerDataKey = 100 }, "orders", new FakeTimeProvider());

        var envelopes = await EncryptManyAsync(encryptor, 5, 40);
        var big = await EncryptManyAsync(encryptor, 1, 500);

        Assert.Equal([2, 2, 1], envelopes.GroupBy(EncryptedKeyOf).Select(g => g.Count()));
        Assert.DoesNotContain(EncryptedKeyOf(big[0]), envelopes.Select(EncryptedKeyOf));
        Assert.Equal(4, encryptor.DataKeysGenerated);
    }

    [Fact(Timeout = 30_000)]
    public async Task Every_record_under_one_key_gets_its_own_nonce()
    {
        var key = fixture.Kms.CreateKey();
        using var encryptor = new RecordEncryptor(fixture.Client, new RecordEncryption(key.Arn), "orders");

        var envelopes = await EncryptManyAsync(encryptor, 200, 1);

        Assert.Equal(200, envelopes.Select(e => Convert.ToHexString(e.AsSpan(e.Length - 16 - 1 - 12, 12))).Distinct().Count());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_throttled_kms_is_a_retryable_error_and_the_next_call_succeeds()
    {
        var key = fixture.Kms.CreateKey();
        using var encryptor = new RecordEncryptor(fixture.Client, new RecordEncryption(key.Arn), "orders");
        fixture.Kms.ThrottleNext(1);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => EncryptManyAsync(encryptor, 1, 10));
        var envelopes = await EncryptManyAsync(encryptor, 1, 10);

        Assert.True(error.IsThrottling && error.IsRetryable, error.Message);
        Assert.Equal("ThrottlingException", error.ErrorCode);
        Assert.Single(envelopes);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_decrypt_cache_keeps_at_most_its_bound_and_asks_again_after_its_age()
    {
        var key = fixture.Kms.CreateKey();
        var time = new FakeTimeProvider();
        using var encryptor = new RecordEncryptor(fixture.Client, new RecordEncryption(key.Arn) { MaxRecordsPerDataKey = 1 }, "orders", time);
        var envelopes = (await EncryptManyAsync(encryptor, 3, 10)).Select(e => (ReadOnlyMemory<byte>)e).ToList();
        using var decryptor = new RecordDecryptor(fixture.Client, new RecordDecryption { MaxCachedDataKeys = 2, MaxDataKeyAge = TimeSpan.FromMinutes(1) }, time);

        await decryptor.PrepareAsync(envelopes);
        await decryptor.PrepareAsync(envelopes[1..]);
        Assert.Equal(3, decryptor.DecryptCalls);
        await decryptor.PrepareAsync(envelopes[..1]);
        Assert.Equal(4, decryptor.DecryptCalls);
        time.Advance(TimeSpan.FromMinutes(1));
        await decryptor.PrepareAsync(envelopes[..1]);
        Assert.Equal(5, decryptor.DecryptCalls);
    }

    private static async Task<List<byte[]>> EncryptManyAsync(RecordEncryptor encryptor, int count, int size)
    {
        var envelopes = new List<byte[]>();
        for (var i = 0; i < count; i++)
        {
            var destination = new byte[encryptor.MaxEncryptedLength(size)];
            var length = await encryptor.EncryptAsync(new byte[size], isEnvelope: false, destination);
            envelopes.Add(destination[..length]);
        }

        return envelopes;
    }

    private static string EncryptedKeyOf(byte[] envelope)
    {
        var keyAt = 14 + BinaryPrimitives.ReadUInt16BigEndian(envelope.AsSpan(12)) + 2;
        return Convert.ToHexString(envelope.AsSpan(keyAt, BinaryPrimitives.ReadUInt16BigEndian(envelope.AsSpan(keyAt - 2))));
    }
}
