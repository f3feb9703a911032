using Kinesis.Clients.Agent.Checkpoints;
using Kinesis.Clients.Agent.Tests.Checkpoints;
using Xunit.Abstractions;

namespace Kinesis.Clients.Agent.Tests.Tailing;

/// <summary>Checkpoints across restarts: resume exactly where acknowledgements reached, never past a gap.</summary>
public sealed class RestartTests(ITestOutputHelper output)
{
    [Fact(Timeout = 30_000)]
    public async Task A_restart_over_the_same_database_resumes_with_no_loss_and_no_duplicates()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        var database = dir.File("state/checkpoints.db");
        var first = LogWriter.Lines("first", 0, 200).ToList();
        var second = LogWriter.Lines("second", 0, 200).ToList();
        LogWriter.Append(path, first);

        using (var store = new SqliteCheckpointStore(database))
        {
            await using var tailing = Tailing.Start(Tailing.Fast(path), output, store);
            await tailing.ReceivedAsync(first.Count);
            await tailing.StopAsync();
        }

        LogWriter.Append(path, second); // written while the agent is down

        using (var store = new SqliteCheckpointStore(database))
        {
            // END_OF_FILE does not apply: the flow has checkpoints, so nothing written meanwhile is skipped.
            await using var tailing = Tailing.Start(Tailing.Fast(path, startAtEnd: true), output, store);
            await tailing.ReceivedAsync(second.Count);
            await Task.Delay(200);
            Assert.Equal(second, tailing.Sink.Lines);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Out_of_order_acknowledgements_hold_the_checkpoint_at_the_gap_until_it_fills()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        LogWriter.Append(path, ["l0", "l1", "l2", "l3", "l4"]); // each line is 3 bytes
        var sink = new RecordingSink { AcknowledgeImmediately = false };
        var store = new InMemoryCheckpointStore();
        await using var tailing = Tailing.Start(Tailing.Fast(path), output, store, sink);
        await tailing.ReceivedAsync(5);

        sink.Acknowledge(r => r.Ticket is 4 or 3 or 0 or 1);
        await tailing.Tailer.SaveCheckpointsAsync();
        Assert.Equal(6, (await store.LoadAsync("test-flow")).Single().Offset);

        sink.Acknowledge(r => r.Ticket == 2);
        await tailing.Tailer.SaveCheckpointsAsync();
        Assert.Equal(15, (await store.LoadAsync("test-flow")).Single().Offset);
    }

    [Fact(Timeout = 30_000)]
    public async Task Records_unacknowledged_at_stop_are_read_again_after_a_restart()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        var lines = LogWriter.Lines("x", 0, 10).ToList();
        LogWriter.Append(path, lines);
        var store = new InMemoryCheckpointStore();

        var sink = new RecordingSink { AcknowledgeImmediately = false };
        await using (var tailing = Tailing.Start(Tailing.Fast(path), output, store, sink))
        {
            await tailing.ReceivedAsync(10);
            sink.Acknowledge(r => r.Ticket is < 4 or 6); // 6 is acknowledged, but behind the gap at 4
            await tailing.StopAsync();
        }

        await using var restarted = Tailing.Start(Tailing.Fast(path), output, store);
        await restarted.ReceivedAsync(6);
        await Task.Delay(200);
        Assert.Equal(lines.Skip(4), restarted.Sink.Lines);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_file_renamed_while_the_agent_was_down_resumes_by_its_inode()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        var store = new InMemoryCheckpointStore();
        LogWriter.Append(path, ["a", "b"]);
        await using (var tailing = Tailing.Start(Tailing.Fast(dir.Path + "/app.log*"), output, store))
        {
            await tailing.ReceivedAsync(2);
            await tailing.StopAsync();
        }

        LogWriter.Append(path, ["c"]);
        File.Move(path, path + ".1");
        LogWriter.Append(path, ["new"]);

        await using var restarted = Tailing.Start(Tailing.Fast(dir.Path + "/app.log*"), output, store);
        await restarted.ReceivedAsync(2);
        await Task.Delay(200);
        Assert.Equal(["c", "new"], restarted.Sink.Lines.Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task Checkpoints_of_files_gone_for_long_are_forgotten()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        LogWriter.Append(path, ["a"]);
        var store = new InMemoryCheckpointStore();
        await store.SaveAsync([new FileCheckpoint("test-flow", 1, 1, 0, 0, "/gone", 5, DateTimeOffset.UtcNow.AddDays(-30))]);

        await using var tailing = Tailing.Start(Tailing.Fast(path), output, store);
        await tailing.ReceivedAsync(1);
        await Eventually.HoldsAsync(
            async () => (await store.LoadAsync("test-flow")).Select(c => c.Path).SequenceEqual([path]),
            () => "the stale checkpoint to be forgotten");
    }
}
