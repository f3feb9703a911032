using System.Buffers.Binary;
using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Encryption;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Tests.Encryption;

public sealed class EncryptedEnvelopeTests(KmsFixture fixture) : IClassFixture<KmsFixture>
{
    private static readonly byte[] Log = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("GET /index.html HTTP/1.1 200 1043\n", 300)));

    [Fact(Timeout = 30_000)]
    public async Task Plain_data_round_trips_and_the_header_is_the_documented_one()
    {
        var key = fixture.Kms.CreateKey();
        var envelope = await EncryptAsync(new RecordEncryption(key.Arn), Log, isEnvelope: false);

        Assert.Equal("F54B435A" + "01" + "00" + "01", Convert.ToHexString(envelope, 0, 7));
        Assert.Equal((uint)Log.Length, BinaryPrimitives.ReadUInt32BigEndian(envelope.AsSpan(7)));
        Assert.Equal(EncryptedHeader.Aes256Gcm, envelope[11]);
        Assert.Equal(key.Arn, Encoding.UTF8.GetString(envelope, 14, BinaryPrimitives.ReadUInt16BigEndian(envelope.AsSpan(12))));
        Assert.DoesNotContain("GET /index", Encoding.UTF8.GetString(envelope), StringComparison.Ordinal);

        using var decryptor = new RecordDecryptor(fixture.Client);
        Assert.Equal(Log, (await RecordCodec.DecodeAsync(envelope, decryptor)).ToArray());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_compressed_envelope_is_encrypted_keeping_its_algorithm_and_decodes_to_the_original()
    {
        var key = fixture.Kms.CreateKey();
        var compressed = RecordCodec.Encode(Log, RecordCompression.Zstd());
        var envelope = await EncryptAsync(new RecordEncryption(key.Arn), compressed, isEnvelope: true);

        Assert.Equal("F54B435A" + "01" + "02" + "01", Convert.ToHexString(envelope, 0, 7));
        Assert.True(envelope.Length < compressed.Length + 400, $"{envelope.Length} bytes for {compressed.Length} compressed");
        using var decryptor = new RecordDecryptor(fixture.Client);
        Assert.Equal(Log, (await decryptor.DecodeAsync(envelope)).ToArray());
    }

    [Fact(Timeout = 30_000)]
    public async Task An_encrypted_aggregate_deaggregates_with_a_prepared_decryptor_and_not_without()
    {
        var key = fixture.Kms.CreateKey();
        var builder = new AggregateBuilder(51_200, int.MaxValue);
        Assert.True(builder.TryAdd("pk1", null, "hello"u8));
        Assert.True(builder.TryAdd("pk2", null, "world"u8));
        var aggregate = new byte[builder.EncodedSize];
        builder.WriteTo(aggregate);
        var envelope = await EncryptAsync(new RecordEncryption(key.Arn), RecordCodec.Encode(aggregate, RecordCompression.Gzip()), isEnvelope: true);

        var without = new List<DeaggregatedRecord>();
        Deaggregator.DeaggregateInto("a", envelope, without, null, out var status, out var problem);
        Assert.Equal(RecordDecodeStatus.Unsupported, status);
        Assert.Contains("RecordDecryptor", problem, StringComparison.Ordinal);
        Assert.True(Assert.Single(without).Data.IsEmpty, "ciphertext must not be handed on as data");

        using var decryptor = new RecordDecryptor(fixture.Client);
        await decryptor.PrepareAsync([envelope]);
        var records = new List<DeaggregatedRecord>();
        Assert.True(Deaggregator.DeaggregateInto("a", envelope, records, decryptor, out status, out _));
        Assert.Equal(RecordDecodeStatus.Decoded, status);
        Assert.Equal(["hello", "world"], records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.Equal([0L, 1L], records.Select(r => r.SubSequenceNumber));
    }

    public static TheoryData<string, Func<byte[], int>, RecordDecodeStatus, string> Tampering => new()
    {
        { "version", _ => 4, RecordDecodeStatus.Unsupported, "version 0" },
        { "algorithm", _ => 5, RecordDecodeStatus.DecryptionFailed, "does not authenticate" },
        { "flags", _ => 6, RecordDecodeStatus.Corrupt, "declares" },
        { "original length", _ => 10, RecordDecodeStatus.DecryptionFailed, "does not authenticate" },
        { "cipher", _ => 11, RecordDecodeStatus.Corrupt, "cipher" },
        { "key id", _ => 14 + 20, RecordDecodeStatus.DecryptionFailed, "KMS refused" },
        { "encrypted data key", e => KeyAt(e) + 30, RecordDecodeStatus.DecryptionFailed, "InvalidCiphertextException" },
        { "encryption context", e => ContextAt(e) + 4, RecordDecodeStatus.DecryptionFailed, "InvalidCiphertextException" },
        { "nonce", e => e.Length - 16 - 100 - 1, RecordDecodeStatus.DecryptionFailed, "does not authenticate" },
        { "ciphertext", e => e.Length - 16 - 50, RecordDecodeStatus.DecryptionFailed, "does not authenticate" },
        { "tag", e => e.Length - 1, RecordDecodeStatus.DecryptionFailed, "does not authenticate" },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Tampering))]
    public async Task A_changed_byte_anywhere_fails_with_a_reason_and_never_decodes(string field, Func<byte[], int> offset, RecordDecodeStatus expected, string reason)
    {
        var key = fixture.Kms.CreateKey();
        var payload = new byte[100];
        new Random(7).NextBytes(payload);
        var envelope = await EncryptAsync(new RecordEncryption(key.Arn) { EncryptionContext = new Dictionary<string, string> { ["tenant"] = "blue" } }, payload, isEnvelope: false);
        var at = offset(envelope);
        envelope[at] ^= 0x01;

        using var decryptor = new RecordDecryptor(fixture.Client);
        await decryptor.PrepareAsync([envelope]);
        var status = RecordDecoder.Decode(envelope, decryptor, out _, out var problem);

        Assert.True(expected == status, $"{field} (byte {at}): {status}, {problem}");
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => decryptor.DecodeAsync(envelope));
        Assert.Equal(problem, ex.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task Access_denied_fails_every_record_under_the_key_with_one_call_and_one_log_line()
    {
        var key = fixture.Kms.CreateKey();
        var encryption = new RecordEncryption(key.Arn);
        using var encryptor = new RecordEncryptor(fixture.Client, encryption, "orders");
        var envelopes = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i < 20; i++)
        {
            var destination = new byte[encryptor.MaxEncryptedLength(Log.Length)];
            envelopes.Add(destination.AsMemory(0, await encryptor.EncryptAsync(Log, isEnvelope: false, destination)));
        }

        fixture.Kms.Deny(key, KmsOperation.Decrypt);
        var logger = new TestLogger();
        using var decryptor = new RecordDecryptor(fixture.Client, logger: logger);
        await decryptor.PrepareAsync(envelopes);
        foreach (var envelope in envelopes)
        {
            Assert.Equal(RecordDecodeStatus.DecryptionFailed, RecordDecoder.Decode(envelope, decryptor, out var decoded, out var problem));
            Assert.Contains("AccessDeniedException", problem, StringComparison.Ordinal);
            Assert.Equal(envelope, decoded);
        }

        await decryptor.PrepareAsync(envelopes);
        Assert.Equal(1, decryptor.DecryptCalls);
        Assert.Equal(1, fixture.Kms.Count(KmsOperation.Decrypt, "AccessDeniedException"));
        Assert.Contains(key.Arn, Assert.Single(logger.WithId(1201)).Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Many_records_under_one_data_key_cost_one_decrypt_call()
    {
        var key = fixture.Kms.CreateKey();
        using var encryptor = new RecordEncryptor(fixture.Client, new RecordEncryption(key.Arn), "orders");
        var envelopes = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i < 50; i++)
        {
            var destination = new byte[encryptor.MaxEncryptedLength(4)];
            envelopes.Add(destination.AsMemory(0, await encryptor.EncryptAsync(BitConverter.GetBytes(i), isEnvelope: false, destination)));
        }

        using var decryptor = new RecordDecryptor(fixture.Client);
        for (var i = 0; i < envelopes.Count; i++)
        {
            Assert.Equal(i, BitConverter.ToInt32((await decryptor.DecodeAsync(envelopes[i])).Span));
        }

        Assert.Equal(1, decryptor.DecryptCalls);
        Assert.Equal(1, encryptor.DataKeysGenerated);
    }

    private async Task<byte[]> EncryptAsync(RecordEncryption encryption, byte[] data, bool isEnvelope)
    {
        using var encryptor = new RecordEncryptor(fixture.Client, encryption, "orders");
        var destination = new byte[encryptor.MaxEncryptedLength(data.Length)];
        var length = await encryptor.EncryptAsync(data, isEnvelope, destination);
        return destination[..length];
    }

    private static int KeyAt(byte[] envelope) => 14 + BinaryPrimitives.ReadUInt16BigEndian(envelope.AsSpan(12)) + 2;

    private static int ContextAt(byte[] envelope)
    {
        var keyAt = KeyAt(envelope);
        return keyAt + BinaryPrimitives.ReadUInt16BigEndian(envelope.AsSpan(keyAt - 2)) + 2;
    }
}
