using Xunit.Abstractions;

namespace Kinesis.Clients.Agent.Tests.Tailing;

public sealed class OpenFileLimitTests(ITestOutputHelper output)
{
    [Fact(Timeout = 60_000)]
    public async Task More_files_than_the_limit_are_all_read_with_at_most_the_limit_open_and_a_closed_file_resumes_when_it_grows()
    {
        using var dir = new TempDirectory();
        const int Files = 60;
        for (var i = 0; i < Files; i++)
        {
            LogWriter.Append(dir.File($"f{i:D2}.log"), [$"f{i} a", $"f{i} b"]);
        }

        await using var tailing = Tailing.Start(Tailing.Fast(dir.Path + "/*.log", maxOpenFiles: 8), output);
        var most = 0;
        await Eventually.HoldsAsync(
            () =>
            {
                most = Math.Max(most, tailing.Tailer.TrackedKeys().Count);
                return tailing.Sink.Count >= 2 * Files;
            },
            () => $"{2 * Files} records (have {tailing.Sink.Count})",
            TimeSpan.FromSeconds(50));

        // The first file was closed to make room long ago: what it gets now is read from where it stopped.
        LogWriter.Append(dir.File("f00.log"), ["f0 c"]);
        await tailing.ReceivedAsync((2 * Files) + 1, TimeSpan.FromSeconds(20));

        Assert.InRange(most, 1, 8);
        var expected = Enumerable.Range(0, Files).SelectMany(i => new[] { $"f{i} a", $"f{i} b" }).Append("f0 c");
        Assert.Equal(expected.Order(StringComparer.Ordinal), tailing.Sink.Lines.Order(StringComparer.Ordinal));
        Assert.Empty(tailing.Sink.TicketErrors);
    }
}
