using System.Text.Json.Nodes;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The agent program shipping a file through the limits proxy (which records the access key id of every signed
/// request) with credentials that come from <see cref="LoopbackSts"/>, in a home directory of its own so no profile
/// or SSO cache of the machine is read.
/// </summary>
internal sealed class CredentialsScenario : IAsyncDisposable
{
    private CredentialsScenario(AgentHarness harness, KinesisLimitsProxy proxy, LoopbackSts sts, string stream)
    {
        Harness = harness;
        Proxy = proxy;
        Sts = sts;
        Stream = stream;
        Home = Path.Combine(harness.Directory, "home");
        Directory.CreateDirectory(Home);
    }

    public AgentHarness Harness { get; }

    public KinesisLimitsProxy Proxy { get; }

    public LoopbackSts Sts { get; }

    public string Stream { get; }

    /// <summary>The program's HOME; <c>~/.aws/config</c> and <c>~/.aws/credentials</c> are written here.</summary>
    public string Home { get; }

    /// <summary>The tailed file.</summary>
    public string Log => Harness.PathOf("app/app.log");

    public static async Task<CredentialsScenario> StartAsync(LocalAws aws)
    {
        var harness = AgentHarness.Create(aws);
        try
        {
            var stream = await harness.NewStreamAsync(1);
            var proxy = await KinesisLimitsProxy.StartAsync(aws.KinesisEndpoint);
            var sts = await LoopbackSts.StartAsync();
            return new CredentialsScenario(harness, proxy, sts, stream);
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>The variables every run gets: its own HOME and AWS files, the loopback STS and SSO endpoints, a region.</summary>
    public Dictionary<string, string> Environment() => new()
    {
        ["HOME"] = Home,
        ["AWS_CONFIG_FILE"] = Path.Combine(Home, ".aws", "config"),
        ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(Home, ".aws", "credentials"),
        ["AWS_ENDPOINT_URL_STS"] = Sts.Endpoint.ToString(),
        ["AWS_ENDPOINT_URL_SSO"] = Sts.Endpoint.ToString(),
        ["AWS_REGION"] = Harness.Aws.Region,
    };

    /// <summary>Writes a file under HOME, e.g. <c>.aws/config</c>.</summary>
    public string WriteHomeFile(string relative, string text)
    {
        var path = Path.Combine(Home, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>agent.json for one flow over <see cref="Log"/> through the proxy, with or without its own keys.</summary>
    public string WriteConfig(bool withKeys, Dictionary<string, object>? extra = null)
    {
        var flow = new Dictionary<string, object>
        {
            ["filePattern"] = Path.Combine(Harness.Directory, "app/*.log"),
            ["kinesisStream"] = Stream,
            ["partitionKeyOption"] = "FILE",
            ["initialPosition"] = "START_OF_FILE",
            ["maxBufferAgeMillis"] = 1000,
        };
        var json = JsonNode.Parse(Harness.ConfigJson([flow], Proxy.Endpoint, extra))!.AsObject();
        if (!withKeys)
        {
            json.Remove("awsAccessKeyId");
            json.Remove("awsSecretAccessKey");
        }

        return Harness.WriteConfigFile(json.ToJsonString());
    }

    /// <summary>Appends <paramref name="count"/> numbered lines to <see cref="Log"/> and returns them.</summary>
    public List<string> AppendLines(string prefix, int count)
    {
        var lines = Enumerable.Range(0, count).Select(i => $"{prefix} {i:D4}").ToList();
        AgentHarness.Append(Log, lines);
        return lines;
    }

    /// <summary>Waits until every one of <paramref name="lines"/> is in the stream; the agent's output explains a time-out.</summary>
    public async Task WaitForLinesAsync(IReadOnlyCollection<string> lines, AgentProcess agent)
    {
        var deadline = DateTime.UtcNow + AgentHarness.Deadline;
        var arrived = new HashSet<string>();
        while (DateTime.UtcNow < deadline && !agent.HasExited)
        {
            arrived = (await Harness.ReadStreamAsync(Stream)).Select(AgentHarness.Line).ToHashSet();
            if (lines.All(arrived.Contains))
            {
                return;
            }

            await Task.Delay(500);
        }

        Assert.Fail($"{lines.Count(arrived.Contains)} of {lines.Count} lines arrived; STS calls {Sts.Calls.Count}, refusals " +
            $"[{string.Join(", ", Sts.Rejections)}]; agent output:\n{agent.Output}");
    }

    /// <summary>
    /// Asserts that Kinesis saw only requests signed with credentials the loopback STS issued (none with a long-term
    /// key), and at least one PutRecords.
    /// </summary>
    public void AssertSignedOnlyWithIssuedKeys()
    {
        var issued = Sts.Calls.Select(c => c.Issued.AccessKeyId).ToHashSet();
        var stats = Proxy.Stats;
        Assert.True(stats.RequestsFor("PutRecords") > 0, "no PutRecords reached the proxy");
        Assert.NotEmpty(stats.RequestsBySigningKey);
        Assert.All(stats.RequestsBySigningKey.Keys, key => Assert.Contains(key, issued));
    }

    public async ValueTask DisposeAsync()
    {
        await Sts.DisposeAsync();
        await Proxy.DisposeAsync();
        await Harness.DisposeAsync();
    }
}
