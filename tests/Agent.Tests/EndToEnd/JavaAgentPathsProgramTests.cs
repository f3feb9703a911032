using System.Text;
using System.Text.Json;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The program started with no <c>-c</c> on a host that still has only the Amazon Kinesis Agent's files:
/// it reads <c>/etc/aws-kinesis/agent.json</c> and its <c>agent.d/</c>. The program runs in a private mount
/// namespace whose <c>/etc</c> is an overlay of the host's, so the test writes those folders without touching
/// the machine's own <c>/etc</c>.
/// </summary>
[Trait("Category", "Engine")]
[Trait("Category", "Program")]
public sealed class JavaAgentPathsProgramTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public JavaAgentPathsProgramTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task With_no_configuration_of_its_own_the_program_ships_the_flows_of_the_Java_agents_files()
    {
        await using var harness = AgentHarness.Create(_aws);
        var main = await harness.NewStreamAsync(1);
        var fragment = await harness.NewStreamAsync(1);
        var mainLog = harness.PathOf("logs/main.log");
        var fragmentLog = harness.PathOf("logs/fragment.log");
        var mainLines = Enumerable.Range(0, 20).Select(i => $"from agent.json {i}").ToList();
        var fragmentLines = Enumerable.Range(0, 15).Select(i => $"from agent.d {i}").ToList();
        AgentHarness.Append(mainLog, mainLines);
        AgentHarness.Append(fragmentLog, fragmentLines);

        // What the host has: agent.json with one flow, and a fragment in agent.d/ with another.
        var javaFolder = harness.PathOf("java-etc");
        Directory.CreateDirectory(Path.Combine(javaFolder, "agent.d"));
        await File.WriteAllTextAsync(Path.Combine(javaFolder, "agent.json"), harness.ConfigJson([Flow(mainLog, main)]));
        await File.WriteAllTextAsync(Path.Combine(javaFolder, "agent.d", "app.json"), JsonSerializer.Serialize(new { flows = new[] { Flow(fragmentLog, fragment) } }));

        using var agent = AgentProcess.Start(["run"], parent: null, environment: null, launcher: WithJavaAgentEtc(harness, javaFolder));
        var deadline = DateTime.UtcNow + AgentHarness.Deadline;
        var gotMain = new List<string>();
        var gotFragment = new List<string>();
        while ((gotMain.Count < mainLines.Count || gotFragment.Count < fragmentLines.Count) && !agent.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            gotMain = await LinesAsync(harness, main);
            gotFragment = await LinesAsync(harness, fragment);
        }

        agent.Terminate();
        var code = await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var context = $"{Environment.NewLine}agent output:{Environment.NewLine}{agent.Output}";
        Assert.True(code == 0, $"exit {code}{context}");
        Assert.Contains("/etc/kinesis-agent has no configuration; reading the Amazon Kinesis Agent's /etc/aws-kinesis/agent.json", agent.Output, StringComparison.Ordinal);
        Assert.True(mainLines.Select(l => l + "\n").SequenceEqual(gotMain), $"agent.json's flow: got {gotMain.Count} of {mainLines.Count}{context}");
        Assert.True(fragmentLines.Select(l => l + "\n").SequenceEqual(gotFragment), $"agent.d's flow: got {gotFragment.Count} of {fragmentLines.Count}{context}");
    }

    [Fact]
    public async Task The_packages_own_configuration_wins_over_the_Java_agents()
    {
        await using var harness = AgentHarness.Create(_aws);
        var javaFolder = harness.PathOf("java-etc");
        var ownFolder = harness.PathOf("own-etc");
        Directory.CreateDirectory(javaFolder);
        Directory.CreateDirectory(ownFolder);
        await File.WriteAllTextAsync(Path.Combine(javaFolder, "agent.json"), harness.ConfigJson([Flow(harness.PathOf("logs/java.log"), "java-stream")]));
        await File.WriteAllTextAsync(Path.Combine(ownFolder, "agent.json"), harness.ConfigJson([Flow(harness.PathOf("logs/own.log"), "own-stream")]));

        using var agent = AgentProcess.Start(["check-config"], parent: null, environment: null, launcher: WithJavaAgentEtc(harness, javaFolder, ownFolder));
        var code = await agent.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(code == 0, $"exit {code}: {agent.Output}");
        Assert.Contains("own-stream", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("java-stream", agent.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Amazon Kinesis Agent's", agent.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, object> Flow(string file, string stream) => new()
    {
        ["filePattern"] = file,
        ["kinesisStream"] = stream,
        ["initialPosition"] = "START_OF_FILE",
        ["maxBufferAgeMillis"] = 1000,
    };

    private static async Task<List<string>> LinesAsync(AgentHarness harness, string stream) =>
        (await harness.ReadStreamAsync(stream)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();

    /// <summary>
    /// <c>unshare</c> gives the program its own mount namespace (inside a user namespace, so no privilege is needed
    /// where unprivileged user namespaces are allowed), where <c>/etc</c> is an overlay of the host's with
    /// <c>/etc/kinesis-agent</c> replaced by <paramref name="ownFolder"/> (or absent) and <c>/etc/aws-kinesis</c> by
    /// <paramref name="javaFolder"/>. The overlay's writable layer is in the harness folder and goes with it.
    /// </summary>
    private static string[] WithJavaAgentEtc(AgentHarness harness, string javaFolder, string? ownFolder = null)
    {
        var upper = harness.PathOf("overlay/upper");
        var work = harness.PathOf("overlay/work");
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);
        var own = ownFolder is null ? string.Empty : $" && mkdir /etc/kinesis-agent && cp -r '{ownFolder}'/. /etc/kinesis-agent/";
        var script =
            $"mount -t overlay overlay -o lowerdir=/etc,upperdir='{upper}',workdir='{work}' /etc" +
            " && rm -rf /etc/kinesis-agent /etc/aws-kinesis" +
            $" && mkdir /etc/aws-kinesis && cp -r '{javaFolder}'/. /etc/aws-kinesis/" +
            own +
            " && exec \"$@\"";
        return ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh"];
    }
}
