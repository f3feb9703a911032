using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

/// <summary>A split closes the shard: its last event names the children, carries no continuation, and the reader stops.</summary>
[Trait("Category", "Engine")]
public sealed class FanOutShardEndTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private static readonly HashKey Middle = HashKey.Parse("170141183460469231731687303715884105728");

    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 120_000)]
    public async Task Reading_a_shard_that_is_split_while_subscribed_ends_with_its_child_shards_after_every_record()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output), peakShards: 2);
        var parentRecords = await scenario.PutAsync(FanOutScenario.Entries(40));
        await using var reader = scenario.Reader();
        var events = await scenario.ReadRecordsAsync(reader, 20);

        await scenario.Kinesis.SplitShardAsync(scenario.StreamName, scenario.ShardId, Middle).WaitAsync(FanOutScenario.Deadline);
        await scenario.Kinesis.WaitForStreamActiveAsync(scenario.StreamName, FanOutScenario.Deadline).WaitAsync(FanOutScenario.Deadline);
        await scenario.PutAsync(FanOutScenario.Entries(10, "child"));
        events.AddRange(await scenario.ReadUntilAsync(reader, _ => false));

        Assert.Equal(parentRecords, FanOutScenario.SequenceNumbers(events));
        var last = events[^1];
        Assert.True(last.IsShardEnd);
        Assert.Null(last.ContinuationSequenceNumber);
        Assert.All(events.SkipLast(1), e => Assert.False(e.IsShardEnd));
        Assert.Equal(2, last.ChildShards.Count);
        Assert.All(last.ChildShards, c => Assert.Equal([scenario.ShardId], c.ParentShards));
        var children = (await scenario.Kinesis.ListAllShardsAsync(scenario.StreamName).WaitAsync(FanOutScenario.Deadline))
            .Where(s => s.ParentShardId == scenario.ShardId)
            .ToDictionary(s => s.ShardId);
        Assert.All(last.ChildShards, c => Assert.Equal(children[c.ShardId].HashKeyRange, c.HashKeyRange));
        Assert.True(reader.IsShardEnd);
        Assert.Null(await reader.ReadNextAsync().AsTask().WaitAsync(FanOutScenario.Deadline));
        Assert.Equal("ShardEnd", scenario.Server.Calls[^1].EndedBy);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_closed_shard_read_later_delivers_its_records_then_ends_and_the_children_can_be_read_next()
    {
        await using var scenario = await FanOutScenario.StartAsync(_aws, logger: new TestLogger(output), peakShards: 2);
        var parentRecords = await scenario.PutAsync(FanOutScenario.Entries(15));
        await scenario.Kinesis.SplitShardAsync(scenario.StreamName, scenario.ShardId, Middle).WaitAsync(FanOutScenario.Deadline);
        await scenario.Kinesis.WaitForStreamActiveAsync(scenario.StreamName, FanOutScenario.Deadline).WaitAsync(FanOutScenario.Deadline);
        var childRecords = await scenario.PutAsync(FanOutScenario.Entries(30, "child"));

        await using var parent = scenario.Reader();
        var events = await scenario.ReadUntilAsync(parent, _ => false);
        Assert.Equal(parentRecords, FanOutScenario.SequenceNumbers(events));
        Assert.True(events[^1].IsShardEnd);

        var fromChildren = new List<string>();
        foreach (var child in events[^1].ChildShards)
        {
            await using var reader = scenario.Reader(shardId: child.ShardId);
            fromChildren.AddRange(FanOutScenario.SequenceNumbers(await scenario.ReadUntilAsync(reader, e => e.Count > 0 && e[^1].MillisBehindLatest == 0 && e[^1].Records.Count == 0)));
        }

        Assert.Equal(childRecords.Order(StringComparer.Ordinal), fromChildren.Order(StringComparer.Ordinal));
    }
}
