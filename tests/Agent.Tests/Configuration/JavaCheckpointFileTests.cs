using Kinesis.Clients.Agent.Checkpoints;
using Kinesis.Clients.Agent.Configuration;
using Kinesis.Clients.Agent.Tests.Checkpoints;
using Kinesis.Clients.Agent.Tests.Tailing;

namespace Kinesis.Clients.Agent.Tests.Configuration;

/// <summary>
/// <c>checkpointFile</c> keeps the Java agent's meaning: its checkpoint database, which is imported from. Named
/// explicitly, a file that is there but cannot be imported from refuses the configuration; our own database is
/// <c>checkpointDatabase</c>.
/// </summary>
public sealed class JavaCheckpointFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void By_default_the_Java_agents_path_is_imported_from_and_our_database_is_under_var_lib()
    {
        var config = ConfigText.ParseFlow("");
        Assert.Null(config.JavaCheckpointFile);
        Assert.Equal("/var/run/aws-kinesis-agent/checkpoints", JavaCheckpointDatabase.DefaultPath);
        Assert.Equal("/var/lib/kinesis-agent/checkpoints.db", config.CheckpointFile);
    }

    [Fact]
    public void A_named_Java_database_that_is_readable_or_absent_is_accepted()
    {
        var java = _dir.File("java/checkpoints");
        JavaAgentDatabase.Create(java);
        Assert.Equal(java, Parse(java).JavaCheckpointFile);
        Assert.Equal(_dir.File("absent"), Parse(_dir.File("absent")).JavaCheckpointFile);
    }

    [Fact]
    public void A_named_file_that_is_not_a_database_is_a_configuration_error_naming_file_and_key()
    {
        var garbage = _dir.File("checkpoints");
        File.WriteAllText(garbage, new string('x', 2048));

        var error = Assert.Throws<AgentConfigurationException>(() => Parse(garbage));

        Assert.Equal(("checkpointFile", ConfigText.File), (error.Key, error.File));
        Assert.Contains(garbage, error.Message, StringComparison.Ordinal);
        Assert.Contains("not the Java agent's checkpoint database", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Our_own_database_named_as_checkpointFile_is_refused_with_the_key_to_use()
    {
        var ours = _dir.File("checkpoints.db");
        using (var store = new SqliteCheckpointStore(ours))
        {
            await store.SaveAsync([new FileCheckpoint("f", 1, 2, 3, 4, "/a", 5, DateTimeOffset.UtcNow)]);
        }

        var error = Assert.Throws<AgentConfigurationException>(() => Parse(ours));

        Assert.Contains("own checkpoint database", error.Message, StringComparison.Ordinal);
        Assert.Contains("checkpointDatabase", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    private static AgentConfiguration Parse(string javaFile) => ConfigText.Parse(
        $$"""{ "checkpointFile": "{{javaFile}}", "flows": [ { "filePattern": "/var/log/a.log", "kinesisStream": "s" } ] }""");
}
