using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Consumer.FanOut;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

/// <summary>
/// Records put into kinesis-mock arrive through SubscribeToShard over HTTP/2 on TLS (and, once, in cleartext), in
/// order, byte for byte.
/// </summary>
[Trait("Category", "Engine")]
public sealed class FanOutRoundTripTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws = fixture.Aws;

    [Theory(Timeout = 120_000)]
    [InlineData(WireProtocol.Cbor, true)]
    [InlineData(WireProtocol.Json, true)]
    [InlineData(WireProtocol.Cbor, false)]
    public async Task Records_put_before_and_while_reading_arrive_in_order_with_their_keys_and_data(WireProtocol protocol, bool tls)
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, protocol, logger: new TestLogger(output), tls: tls);
        var before = FanOutScenario.Entries(150, "before");
        var sequenceNumbers = await scenario.PutAsync(before);
        await using var reader = scenario.Reader();

        var events = await scenario.ReadRecordsAsync(reader, 150);
        var after = FanOutScenario.Entries(120, "after", from: 150);
        sequenceNumbers.AddRange(await scenario.PutAsync(after));
        events.AddRange(await scenario.ReadRecordsAsync(reader, 120));

        var records = events.SelectMany(e => e.Records).ToList();
        Assert.Equal(sequenceNumbers, records.Select(r => r.SequenceNumber));
        Assert.Equal(before.Concat(after).Select(e => e.PartitionKey), records.Select(r => r.PartitionKey));
        Assert.Equal(before.Concat(after).Select(e => Encoding.UTF8.GetString(e.Data.Span)), records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.All(records, r => Assert.NotNull(r.ApproximateArrivalTimestamp));
        Assert.All(events, e => Assert.False(e.IsShardEnd));
        Assert.Equal(sequenceNumbers[^1], events[^1].ContinuationSequenceNumber);
        var call = Assert.Single(scenario.Server.Calls);
        Assert.Equal(protocol == WireProtocol.Cbor, call.IsCbor);
        Assert.Equal("TRIM_HORIZON", call.StartingPositionType);
        Assert.Equal(tls, call.Connection.IsHttp2OverTls);
        Assert.Equal("HTTP/2", call.Connection.HttpProtocol);
    }

    [Fact(Timeout = 120_000)]
    public async Task Aggregated_records_arrive_whole_and_deaggregate_to_every_user_record_in_order()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));
        var expected = new List<(string Key, string Data)>();
        var entries = new List<PutRecordsEntry>();
        for (var aggregate = 0; aggregate < 4; aggregate++)
        {
            using var builder = new AggregateBuilder();
            for (var i = 0; i < 60; i++)
            {
                var key = $"user-{aggregate}-{i % 7}";
                var data = $"aggregate {aggregate} record {i} " + new string('y', i * 3);
                Assert.True(builder.TryAdd(key, null, Encoding.UTF8.GetBytes(data)));
                expected.Add((key, data));
            }

            var encoded = new byte[builder.KinesisDataLength];
            builder.WriteTo(encoded);
            entries.Add(new PutRecordsEntry(builder.KinesisPartitionKey, encoded, builder.KinesisExplicitHashKey));

            // A plain record between aggregates passes through de-aggregation untouched.
            entries.Add(new PutRecordsEntry($"plain-{aggregate}", Encoding.UTF8.GetBytes($"plain {aggregate}")));
            expected.Add(($"plain-{aggregate}", $"plain {aggregate}"));
        }

        await scenario.PutAsync(entries);
        await using var reader = scenario.Reader();
        var events = await scenario.ReadRecordsAsync(reader, entries.Count);

        var users = events.SelectMany(e => e.Records)
            .SelectMany(r => Deaggregator.Deaggregate(r.PartitionKey, r.Data))
            .Select(u => (u.PartitionKey, Encoding.UTF8.GetString(u.Data.Span)))
            .ToList();
        Assert.Equal(expected, users);
        Assert.Equal(4, events.SelectMany(e => e.Records).Count(r => Deaggregator.IsAggregated(r.Data.Span)));
    }

    [Fact(Timeout = 120_000)]
    public async Task Latest_delivers_only_records_put_after_the_subscription_started()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));
        await scenario.PutAsync(FanOutScenario.Entries(10, "old"));
        await using var reader = scenario.Reader(SubscribePosition.Latest);

        // The first event (a heartbeat on the quiet shard) proves the subscription is open.
        var first = await scenario.ReadUntilAsync(reader, events => events.Count >= 1);
        var fresh = await scenario.PutAsync(FanOutScenario.Entries(5, "new"));
        var events = await scenario.ReadRecordsAsync(reader, 5);

        Assert.Empty(first[0].Records);
        Assert.Equal(fresh, FanOutScenario.SequenceNumbers(first.Concat(events)));
    }

    [Fact(Timeout = 120_000)]
    public async Task Starting_at_a_sequence_number_or_a_timestamp_delivers_that_record_and_the_ones_after()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));
        var sequenceNumbers = await scenario.PutAsync(FanOutScenario.Entries(20));

        await using (var at = scenario.Reader(SubscribePosition.AtSequenceNumber(sequenceNumbers[7])))
        {
            Assert.Equal(sequenceNumbers[7..], FanOutScenario.SequenceNumbers(await scenario.ReadRecordsAsync(at, 13)));
        }

        await using (var after = scenario.Reader(SubscribePosition.AfterSequenceNumber(sequenceNumbers[7])))
        {
            Assert.Equal(sequenceNumbers[8..], FanOutScenario.SequenceNumbers(await scenario.ReadRecordsAsync(after, 12)));
        }

        await using var all = scenario.Reader(SubscribePosition.TrimHorizon);
        var arrived = (await scenario.ReadRecordsAsync(all, 20)).SelectMany(e => e.Records).ToList();
        await using var fromTime = scenario.Reader(SubscribePosition.AtTimestamp(arrived[0].ApproximateArrivalTimestamp!.Value));
        Assert.Equal(sequenceNumbers, FanOutScenario.SequenceNumbers(await scenario.ReadRecordsAsync(fromTime, 20)));
    }

    [Fact(Timeout = 120_000)]
    public async Task An_idle_shard_sends_events_without_records_that_still_carry_a_continuation()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output));
        await using var reader = scenario.Reader();

        var events = await scenario.ReadUntilAsync(reader, e => e.Count >= 3);

        Assert.All(events, e =>
        {
            Assert.Empty(e.Records);
            Assert.Equal(scenario.Shards[0].StartingSequenceNumber, e.ContinuationSequenceNumber);
            Assert.Equal(0, e.MillisBehindLatest);
        });
        Assert.Equal(1, reader.Subscriptions);
    }
}
