using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>samples/ConsumerDump as a program: its output and its shutdown.</summary>
[Trait("Category", "Engine")]
public sealed class ConsumerDumpTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public ConsumerDumpTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact(Timeout = 90_000)]
    public async Task SIGTERM_stops_the_dump_gracefully_and_releases_its_leases()
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(2);
        var expected = await kit.PutPlainAsync("r", 20);

        using var dump = DumpProcess.Start(kit, "dump");
        await WorkerKit.WaitUntilAsync(
            () => expected.All(e => dump.Records.Any(r => r.Data == e)) || dump.HasExited,
            () => $"{dump.Records.Count} of {expected.Count} lines: {dump.Errors}");
        Assert.False(dump.HasExited, dump.Errors);
        Assert.All(dump.Records, r => Assert.Equal("k" + r.Data, r.PartitionKey));

        // A line is written before its batch is checkpointed: wait for the checkpoints, so the stop below finds
        // nothing in flight and what is checked is the release.
        using var dynamo = _aws.CreateDynamoDbClient();
        await WorkerKit.WaitUntilAsync(
            async () => await kit.LeaseStore(dynamo).ListAsync() is { Count: 2 } held && held.All(l => !l.Checkpoint.IsSentinel),
            () => "both leases checkpointed");

        dump.Terminate();
        Assert.Equal(0, await dump.WaitForExitAsync(TimeSpan.FromSeconds(20)));

        var leases = await kit.LeaseStore(dynamo).ListAsync();
        Assert.Equal(2, leases.Count);
        Assert.All(leases, l => Assert.Null(l.LeaseOwner));
        Assert.All(leases, l => Assert.False(l.Checkpoint.IsSentinel, $"{l} was never checkpointed"));
    }
}
