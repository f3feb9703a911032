using System.Text;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>Everything put through the producer comes back out of kinesis-mock, byte for byte.</summary>
[Trait("Category", "Engine")]
public sealed class RoundTripTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public RoundTripTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Theory]
    [InlineData(true, WireProtocol.Cbor)]
    [InlineData(false, WireProtocol.Cbor)]
    [InlineData(true, WireProtocol.Json)]
    public async Task Every_record_put_is_read_back_with_the_shard_and_sequence_its_result_reported(bool aggregation, WireProtocol protocol)
    {
        using var client = Client(_aws, protocol);
        await using var stream = await NewStreamAsync(client, 4);
        var options = Options(_aws);
        options.AggregationEnabled = aggregation;
        options.Protocol = protocol;
        var failures = CollectFailures(options);

        const int Count = 2_000;
        var sent = Enumerable.Range(0, Count)
            .Select(i => (Key: $"key-{i % 97}", Data: Encoding.UTF8.GetBytes($"record {i} " + new string('x', i % 300)), Ehk: i % 50 == 0 ? new HashKey(HashKey.MaxValue.Value / 3 * (ulong)(i % 3)).ToString() : null))
            .ToList();
        List<PutResult> results;
        await using (var producer = new KinesisProducer(options))
        {
            results = (await Task.WhenAll(sent.Select(s => producer.PutAsync(stream, s.Key, s.Data, s.Ehk))).WaitAsync(Deadline)).ToList();
        }

        Assert.Empty(failures);
        var read = await ReadAllAsync(client, stream);
        Assert.Equal(Count, read.Count);
        var bySequence = read.ToLookup(r => (r.SequenceNumber, (int)r.User.SubSequenceNumber));
        for (var i = 0; i < Count; i++)
        {
            var result = results[i];
            var found = Assert.Single(bySequence[(result.SequenceNumber, result.SubSequenceNumber)]);
            Assert.Equal(result.ShardId, found.Shard.ShardId);
            Assert.Equal(sent[i].Key, found.User.PartitionKey);
            Assert.Equal(sent[i].Data, found.User.Data.ToArray());
            Assert.Equal(aggregation && result.IsAggregated, found.User.IsAggregated);
            var hash = HashKey.ForRecord(sent[i].Key, sent[i].Ehk);
            Assert.True(found.Shard.Contains(hash), $"record {i} is on {found.Shard.ShardId} whose range excludes its hash key");
            Assert.True(result.Attempts.Count >= 1);
            Assert.True(result.Attempts[^1].Succeeded);
        }

        if (aggregation)
        {
            Assert.Contains(results, r => r.IsAggregated);
        }
        else
        {
            Assert.All(results, r => Assert.False(r.IsAggregated));
        }
    }
}
