using Kinesis.Clients.Agent.Checkpoints;
using Kinesis.Clients.Agent.Tests.Tailing;

namespace Kinesis.Clients.Agent.Tests.Checkpoints;

public sealed class SqliteCheckpointStoreTests : CheckpointStoreContract
{
    private readonly TempDirectory _dir = new();
    private readonly SqliteCheckpointStore _store;

    public SqliteCheckpointStoreTests()
    {
        // A directory that does not exist yet: the store creates it.
        _store = new SqliteCheckpointStore(_dir.File("state/nested/checkpoints.db"));
    }

    private protected override ICheckpointStore Store => _store;

    [Fact(Timeout = 10_000)]
    public async Task Checkpoints_survive_closing_and_reopening_the_file()
    {
        var checkpoint = new FileCheckpoint("flow", 1, 2, 3, 4, "/a", 5, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        await _store.SaveAsync([checkpoint]);
        _store.Dispose();

        using var reopened = new SqliteCheckpointStore(_dir.File("state/nested/checkpoints.db"));
        Assert.Equal([checkpoint], await reopened.LoadAsync("flow"));
    }

    [Fact]
    public void A_database_path_that_cannot_be_created_is_named_in_the_error()
    {
        var blocker = _dir.File("a-file");
        File.WriteAllText(blocker, "not a directory");
        var path = Path.Combine(blocker, "checkpoints.db");

        var error = Assert.Throws<IOException>(() => new SqliteCheckpointStore(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_database_path_that_is_a_directory_is_named_in_the_error()
    {
        var path = _dir.File("a-directory");
        Directory.CreateDirectory(path);

        var error = Assert.Throws<IOException>(() => new SqliteCheckpointStore(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_named_in_the_error()
    {
        var path = _dir.File("garbage.db");
        File.WriteAllBytes(path, Enumerable.Repeat((byte)'x', 4096).ToArray());

        var error = Assert.Throws<IOException>(() => new SqliteCheckpointStore(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task Using_a_closed_store_fails()
    {
        _store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => _store.LoadAsync("flow"));
    }

    protected override void Dispose(bool disposing)
    {
        _store.Dispose();
        _dir.Dispose();
        base.Dispose(disposing);
    }
}
