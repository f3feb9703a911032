using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>
/// A library user's service on the producer, natively compiled (tests/AotProbe, published by <c>./build.sh test</c>
/// and named by <c>KINESIS_AOT_PROBE</c>; otherwise run on the JIT), with a role profile and no registration call of
/// its own: it assumes the role through STS and signs its records with the assumed credentials.
/// </summary>
[Trait("Category", "Engine")]
public sealed class NativeAotCredentialsTests : IClassFixture<LocalAwsFixture>
{
    private const string RoleArn = "arn:aws:iam::000000000000:role/probe";

    private readonly LocalAws _aws;

    public NativeAotCredentialsTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task A_native_service_with_a_role_profile_signs_its_records_with_the_assumed_role()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        await using var sts = await LoopbackSts.StartAsync();
        sts.ExpectedSourceKey = "AKIDPROBESOURCE";
        var home = Path.Combine(Path.GetTempPath(), "kinesis-aot-probe", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(home, ".aws"));
        try
        {
            File.WriteAllText(Path.Combine(home, ".aws", "credentials"), "[base]\naws_access_key_id = AKIDPROBESOURCE\naws_secret_access_key = probe-secret\n");
            File.WriteAllText(Path.Combine(home, ".aws", "config"), $"[profile probe]\nrole_arn = {RoleArn}\nsource_profile = base\n");
            var (exitCode, output) = await RunProbeAsync([proxy.Endpoint.ToString(), stream, "50"], new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["AWS_CONFIG_FILE"] = Path.Combine(home, ".aws", "config"),
                ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home, ".aws", "credentials"),
                ["AWS_PROFILE"] = "probe",
                ["AWS_ENDPOINT_URL_STS"] = sts.Endpoint.ToString(),
                ["AWS_REGION"] = _aws.Region,
                ["AWS_EC2_METADATA_DISABLED"] = "true",
            });

            Assert.True(exitCode == 0, $"exit code {exitCode}: {output}");
            Assert.Contains("delivered 50 records", output, StringComparison.Ordinal);
            var call = Assert.Single(sts.Calls);
            Assert.Equal(("AssumeRole", "AKIDPROBESOURCE", RoleArn), (call.Action, call.SignedBy, call.RoleArn));
            var signers = proxy.Stats.RequestsBySigningKey;
            Assert.Equal([call.Issued.AccessKeyId], signers.Keys);
            Assert.True(proxy.Stats.RequestsFor("PutRecords") > 0);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
            await client.DeleteStreamAsync(stream).WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static async Task<(int ExitCode, string Output)> RunProbeAsync(string[] args, Dictionary<string, string> environment)
    {
        var native = Environment.GetEnvironmentVariable("KINESIS_AOT_PROBE");
        var run = string.IsNullOrEmpty(native)
            ? await CommandRun.RunAsync("dotnet", [JitProbePath(), .. args], Environment.CurrentDirectory, environment, TimeSpan.FromSeconds(120))
            : await CommandRun.RunAsync(native, args, Environment.CurrentDirectory, environment, TimeSpan.FromSeconds(120));
        return (run.ExitCode, run.Output);
    }

    // The probe as built beside its project (this project references it, so it is built first).
    private static string JitProbePath()
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory);
        for (var directory = tests; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Kinesis.Clients.sln")))
            {
                var path = Path.Combine(directory.FullName, "tests", "AotProbe", "bin", tests.Parent!.Name, tests.Name, "kinesis-aot-probe.dll");
                return File.Exists(path) ? path : throw new InvalidOperationException($"The probe is not built: {path} is missing.");
            }
        }

        throw new InvalidOperationException($"No repository checkout above {AppContext.BaseDirectory}.");
    }
}
