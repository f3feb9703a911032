using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Encryption;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary><see cref="KinesisProducerOptions.Encryption"/>: records wait while KMS fails, and never leave unencrypted.</summary>
[Trait("Category", "Engine")]
public sealed class EncryptionTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public EncryptionTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact(Timeout = 120_000)]
    public async Task While_kms_throttles_records_wait_unsent_then_arrive_encrypted_once_it_answers()
    {
        await using var kms = await LoopbackKms.StartAsync();
        using var kmsClient = kms.CreateClient();
        var key = kms.CreateKey();
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        var options = Options(_aws);
        options.Compression = RecordCompression.Zstd();
        options.Encryption = new RecordEncryption(key.Arn) { KmsClient = kmsClient };
        options.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
        kms.ThrottleAll = true;

        const int Count = 200;
        var payloads = Enumerable.Range(0, Count).Select(i => Encoding.UTF8.GetBytes($"order {i} accepted")).ToList();
        await using var producer = new KinesisProducer(options);
        var puts = payloads.Select((p, i) => producer.PutAsync(stream, $"k{i}", p)).ToList();
        await Eventually.HoldsAsync(() => kms.Count(KmsOperation.GenerateDataKey, "ThrottlingException") >= 3, "three throttled GenerateDataKey calls", Deadline);

        Assert.DoesNotContain(puts, p => p.IsCompleted);
        Assert.Empty(await ReadRawAsync(client, stream));

        kms.ThrottleAll = false;
        await Task.WhenAll(puts).WaitAsync(Deadline);

        var raw = await ReadRawAsync(client, stream);
        Assert.NotEmpty(raw);
        Assert.All(raw, r => Assert.Equal((byte)0x01, r.Data.Span[6]));
        using var decryptor = new RecordDecryptor(kmsClient);
        await decryptor.PrepareAsync(raw.Select(r => r.Data));
        var users = new List<DeaggregatedRecord>();
        foreach (var record in raw)
        {
            Deaggregator.DeaggregateInto(record.PartitionKey, record.Data, users, decryptor, out var status, out var problem);
            Assert.True(status == RecordDecodeStatus.Decoded, problem);
        }

        Assert.Equal(payloads.Select(Encoding.UTF8.GetString), users.Select(u => Encoding.UTF8.GetString(u.Data.Span)));
        Assert.Equal(1, kms.Count(KmsOperation.GenerateDataKey));
    }

    [Fact(Timeout = 120_000)]
    public async Task Records_kms_never_gives_a_key_for_expire_at_their_ttl_with_kms_error_as_the_reason()
    {
        await using var kms = await LoopbackKms.StartAsync();
        using var kmsClient = kms.CreateClient();
        var key = kms.CreateKey();
        kms.Deny(key, KmsOperation.GenerateDataKey);
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        var options = Options(_aws);
        options.Encryption = new RecordEncryption(key.Arn) { KmsClient = kmsClient };
        options.RecordTtl = TimeSpan.FromSeconds(3);
        options.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
        var failures = CollectFailures(options);

        await using (var producer = new KinesisProducer(options))
        {
            var failed = await Assert.ThrowsAsync<RecordFailedException>(() => producer.PutAsync(stream, "k", "secret"u8.ToArray()).WaitAsync(Deadline));
            Assert.Equal(RecordFailure.Expired, failed.Failure.ErrorCode);
            Assert.Contains("AccessDeniedException", failed.Failure.ErrorMessage, StringComparison.Ordinal);
        }

        // Each attempt asked KMS once, and every answer was the refusal.
        var attempts = Assert.Single(failures).Attempts;
        Assert.All(attempts, a => Assert.Equal("AccessDeniedException", a.ErrorCode));
        Assert.Equal(attempts.Count, kms.Count(KmsOperation.GenerateDataKey, "AccessDeniedException"));
        Assert.Empty(await ReadRawAsync(client, stream));
    }

    private static async Task<IReadOnlyList<KinesisRecord>> ReadRawAsync(KinesisClient client, string stream)
    {
        var shard = Assert.Single(await client.ListAllShardsAsync(stream).WaitAsync(Deadline));
        var iterator = await client.GetShardIteratorAsync(
            new GetShardIteratorRequest { StreamName = stream, ShardId = shard.ShardId, IteratorType = ShardIteratorType.TrimHorizon }).WaitAsync(Deadline);
        return (await client.GetRecordsAsync(iterator).WaitAsync(Deadline)).Records;
    }
}
