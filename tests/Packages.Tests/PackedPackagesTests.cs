using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Packages.Tests;

/// <summary>
/// What a .NET team does with the packages: packs them here, adds them to a new project outside the solution from a
/// local folder source, builds it and runs a producer-to-consumer round trip against the engines.
/// </summary>
[Trait("Category", "Engine")]
public sealed class PackedPackagesTests
{
    private static readonly string[] Libraries = ["Core", "Producer", "Consumer"];

    [Fact(Timeout = 600_000)]
    public async Task A_new_project_restores_the_packed_libraries_and_round_trips_records()
    {
        var aws = await LocalAws.GetAsync();
        var root = RepositoryRoot.Find(AppContext.BaseDirectory);
        var configuration = typeof(PackedPackagesTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        // A version no earlier run used: NuGet's global cache never serves a stale copy of it, and it can be removed after.
        // The random part starts with a letter: an identifier of digits alone with a leading zero ("07441718") is not
        // SemVer, and pack refuses it.
        var version = "0.0.0-check.r" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var work = Directory.CreateTempSubdirectory("kinesis-clients-packages-");
        var feed = Directory.CreateDirectory(Path.Combine(work.FullName, "feed")).FullName;
        var app = Directory.CreateDirectory(Path.Combine(work.FullName, "app")).FullName;
        var stream = LocalAws.UniqueName("packages");
        var application = LocalAws.UniqueName("packages-app");
        try
        {
            foreach (var library in Libraries)
            {
                var pack = await CommandRun.RunAsync(
                    "dotnet",
                    ["pack", Path.Combine(root, "src", library, $"Kinesis.Clients.{library}.csproj"), "-c", configuration,
                        "--no-build", "--nologo", "-o", feed, $"-p:Version={version}"],
                    root, null, TimeSpan.FromMinutes(3));
                Assert.True(pack.ExitCode == 0, pack.ToString());
                Assert.True(File.Exists(Path.Combine(feed, $"Kinesis.Clients.{library}.{version}.nupkg")), pack.ToString());
                Assert.True(File.Exists(Path.Combine(feed, $"Kinesis.Clients.{library}.{version}.snupkg")), pack.ToString());
            }

            await AssertRepositoryRecordedAsync(root, Path.Combine(feed, $"Kinesis.Clients.Core.{version}.nupkg"));

            WriteProject(app, feed, version);
            var run = await CommandRun.RunAsync(
                "dotnet", ["run", "-c", "Release", "--nologo"], app,
                new Dictionary<string, string>
                {
                    ["ROUNDTRIP_STREAM"] = stream,
                    ["ROUNDTRIP_APPLICATION"] = application,
                    ["ROUNDTRIP_KINESIS_ENDPOINT"] = aws.KinesisEndpoint.ToString(),
                    ["ROUNDTRIP_DYNAMODB_ENDPOINT"] = aws.DynamoDbEndpoint.ToString(),
                    ["ROUNDTRIP_REGION"] = aws.Region,
                    ["ROUNDTRIP_RECORDS"] = "300",
                    ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                },
                TimeSpan.FromMinutes(6));

            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("sent 300", run.Output, StringComparison.Ordinal);
            Assert.Contains("received 300", run.Output, StringComparison.Ordinal);
            var restored = File.ReadAllText(Path.Combine(app, "obj", "project.assets.json"));
            Assert.Contains($"Kinesis.Clients.Producer/{version}", restored, StringComparison.Ordinal);
            Assert.Contains($"Kinesis.Clients.Core/{version}", restored, StringComparison.Ordinal);
        }
        finally
        {
            // Each part of the clean-up runs even when another fails.
            try
            {
                await RemoveAsync(aws, stream, application);
            }
            finally
            {
                work.Delete(recursive: true);
                RemoveFromPackageCache(version);
            }
        }
    }

    /// <summary>
    /// SourceLink: a package packed from a git checkout names the commit it was built from (and, with a GitHub or
    /// other hosted remote, the repository's URL).
    /// </summary>
    private static async Task AssertRepositoryRecordedAsync(string root, string package)
    {
        var head = await CommandRun.RunAsync("git", ["rev-parse", "HEAD"], root, null, TimeSpan.FromMinutes(1));
        if (head.ExitCode != 0)
        {
            return; // not a git checkout (a source archive): there is no commit to record
        }

        using var archive = ZipFile.OpenRead(package);
        var nuspec = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var reader = new StreamReader(nuspec.Open());
        var repository = System.Xml.Linq.XDocument.Parse(await reader.ReadToEndAsync()).Descendants()
            .Single(e => e.Name.LocalName == "repository");
        Assert.Equal("git", (string?)repository.Attribute("type"));
        Assert.Equal(head.Output.Trim(), (string?)repository.Attribute("commit"));
    }

    private static void WriteProject(string app, string feed, string version)
    {
        // Empty build files stop MSBuild from looking further up for a repository's Directory.Build.props.
        File.WriteAllText(Path.Combine(app, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(app, "Directory.Packages.props"), "<Project />\n");
        // Only the packed folder is a source: every other package the app needs is one the solution's restore has
        // already put in the global packages folder, so no registry is asked (a registry that is slow or failing
        // for a moment, or that has never heard of Kinesis.Clients.*, cannot fail the restore).
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "RoundTrip.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Kinesis.Clients.Producer" Version="{version}" />
                <PackageReference Include="Kinesis.Clients.Consumer" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "RoundTripApp", "Program.cs"), Path.Combine(app, "Program.cs"));
    }

    private static async Task RemoveAsync(LocalAws aws, string stream, string table)
    {
        using var kinesis = new KinesisClient(new KinesisClientOptions
        {
            Region = aws.Region,
            ServiceUrl = aws.KinesisEndpoint,
            Credentials = aws.Credentials,
        });
        try
        {
            await kinesis.DeleteStreamAsync(stream, enforceConsumerDeletion: true);
        }
        catch (ResourceNotFoundException)
        {
        }

        using var dynamoDb = aws.CreateDynamoDbClient();
        try
        {
            await dynamoDb.DeleteTableAsync(table);
        }
        catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
        {
        }
    }

    private static void RemoveFromPackageCache(string version)
    {
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var library in Libraries)
        {
            var id = Path.Combine(cache, $"kinesis.clients.{library.ToLowerInvariant()}");
            var folder = Path.Combine(id, version);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            if (Directory.Exists(id) && !Directory.EnumerateFileSystemEntries(id).Any())
            {
                Directory.Delete(id);
            }
        }
    }
}
