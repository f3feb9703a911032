using System.Net.Sockets;
using System.Text;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The unit is <c>Type=notify</c>: systemd waits for the program's <c>READY=1</c>. Here the program runs as the child
/// of a process named <c>systemd</c> (which is how .NET's hosting recognises a service), with a notification socket
/// the test listens on, as systemd's own.
/// </summary>
[Trait("Category", "Engine")]
public sealed class ServiceManagerTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public ServiceManagerTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Under_systemd_the_program_notifies_READY_once_started_and_STOPPING_on_SIGTERM()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var log = harness.PathOf("logs/app.log");
        AgentHarness.Append(log, ["before start"]);
        var config = harness.WriteConfigFile(harness.ConfigJson(
        [
            new Dictionary<string, object>
            {
                ["filePattern"] = Path.Combine(harness.Directory, "logs/*.log"),
                ["kinesisStream"] = stream,
                ["initialPosition"] = "START_OF_FILE",
                ["maxBufferAgeMillis"] = 1000,
            },
        ]));
        var socketPath = harness.PathOf("run/notify");
        using var notifications = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notifications.Bind(new UnixDomainSocketEndPoint(socketPath));
        var systemd = harness.PathOf("bin/systemd");
        File.CreateSymbolicLink(systemd, "/bin/sh");

        using var agent = AgentProcess.Start(["run", "-c", config], systemd, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath });

        Assert.Equal("READY=1", await ReceiveAsync(notifications, agent));
        // Ready means running: the line written before the start arrives.
        var deadline = DateTime.UtcNow + AgentHarness.Deadline;
        while (!(await harness.ReadStreamAsync(stream)).Any(r => AgentHarness.Line(r) == "before start"))
        {
            Assert.True(DateTime.UtcNow < deadline && !agent.HasExited, $"the line never arrived; agent output:{Environment.NewLine}{agent.Output}");
            await Task.Delay(500);
        }

        agent.Terminate();
        Assert.Equal("STOPPING=1", await ReceiveAsync(notifications, agent));
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private static async Task<string> ReceiveAsync(Socket socket, AgentProcess agent)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return Encoding.UTF8.GetString(buffer, 0, received);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no notification in 60 s; agent output:{Environment.NewLine}{agent.Output}");
        }
    }
}
