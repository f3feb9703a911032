using Kinesis.Clients.Agent.Checkpoints;

namespace Kinesis.Clients.Agent.Tests.Checkpoints;

/// <summary>
/// What every <see cref="ICheckpointStore"/> must do; run against SQLite and the in-memory store alike, so the
/// fake the other tests use cannot drift from the real one.
/// </summary>
public abstract class CheckpointStoreContract : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private protected abstract ICheckpointStore Store { get; }

    [Fact(Timeout = 10_000)]
    public async Task An_empty_store_has_no_checkpoints()
    {
        Assert.Empty(await Store.LoadAsync("flow"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Saved_checkpoints_load_back_per_flow_with_every_field()
    {
        var a = new FileCheckpoint("flow", ulong.MaxValue, 42, ulong.MaxValue - 7, 1024, "/var/log/a.log", 12_345, T0);
        var b = new FileCheckpoint("flow", 2049, 43, 99, 17, "/var/log/b.log", 0, T0.AddSeconds(1));
        var other = new FileCheckpoint("other", 2049, 42, 5, 5, "/var/log/a.log", 1, T0);
        await Store.SaveAsync([a, b, other]);

        var loaded = await Store.LoadAsync("flow");
        Assert.Equal([a, b], loaded.OrderBy(c => c.Inode));
        Assert.Equal([other], await Store.LoadAsync("other"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Saving_the_same_flow_device_and_inode_replaces_the_checkpoint()
    {
        await Store.SaveAsync([new FileCheckpoint("flow", 1, 2, 3, 4, "/a", 10, T0)]);
        var newer = new FileCheckpoint("flow", 1, 2, 30, 40, "/a.1", 20, T0.AddMinutes(1));
        await Store.SaveAsync([newer]);
        Assert.Equal([newer], await Store.LoadAsync("flow"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Forgetting_removes_only_the_flows_checkpoints_not_updated_since_the_cutoff()
    {
        await Store.SaveAsync([
            new FileCheckpoint("flow", 1, 1, 0, 0, "/old", 1, T0),
            new FileCheckpoint("flow", 1, 2, 0, 0, "/new", 1, T0.AddDays(8)),
            new FileCheckpoint("other", 1, 1, 0, 0, "/old", 1, T0),
        ]);

        Assert.Equal(1, await Store.ForgetAsync("flow", T0.AddDays(1)));
        Assert.Equal(["/new"], (await Store.LoadAsync("flow")).Select(c => c.Path));
        Assert.Single(await Store.LoadAsync("other"));
    }

    [Fact(Timeout = 10_000)]
    public async Task Saving_nothing_is_allowed()
    {
        await Store.SaveAsync([]);
        Assert.Empty(await Store.LoadAsync("flow"));
    }

    [Fact(Timeout = 10_000)]
    public async Task An_import_saves_its_checkpoints_and_is_remembered_per_flow()
    {
        Assert.False(await Store.HasImportedAsync("flow"));
        var imported = new FileCheckpoint("flow", 1, 2, 3, 4, "/a", 5, T0);
        await Store.RecordImportAsync("flow", "/var/run/aws-kinesis-agent/checkpoints", [imported], T0);
        await Store.RecordImportAsync("empty", "/var/run/aws-kinesis-agent/checkpoints", [], T0);

        Assert.True(await Store.HasImportedAsync("flow"));
        Assert.True(await Store.HasImportedAsync("empty"));
        Assert.False(await Store.HasImportedAsync("other"));
        Assert.Equal([imported], await Store.LoadAsync("flow"));
        Assert.Empty(await Store.LoadAsync("empty"));
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}

public sealed class InMemoryCheckpointStoreTests : CheckpointStoreContract
{
    private protected override ICheckpointStore Store { get; } = new InMemoryCheckpointStore();
}
