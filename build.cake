// Build script for Kinesis.Clients (Cake 7, run as a dotnet tool). Normally started through ./build.sh,
// which installs the local AWS engines and restores Cake first:
//
//   ./build.sh build                  dotnet build Kinesis.Clients.sln -c Release
//   ./build.sh test                   Build, check formatting (dotnet format whitespace/style), publish the native
//                                     kinesis-agent and tests/AotProbe (process-level tests run them), then every
//                                     tests/*/*.Tests.csproj, then their engine tests once more through the kit's
//                                     LocalStack-style edge (KINESIS_CLIENTS_ENDPOINT, checked to be left empty);
//                                     ends with each failed test's message, a table per project and
//                                     "N passed, N failed, N skipped" summing both runs
//   ./build.sh unit                   The fast loop: Build, then the tests of every tests/*/*.Tests.csproj that need
//                                     no local engine and no program of their own (all but the classes marked
//                                     [Trait("Category", "Engine")] or [Trait("Category", "Program")], and the
//                                     projects marked <EngineTestsOnly>); no npm, no native publish; the test
//                                     projects run side by side; ends with the same
//                                     "N passed, N failed, N skipped"
//   (build, test, unit: the solution is restored only when a project or build file changed since the last restore)
//   ./build.sh demo [-- ARGS]         dotnet run --project samples/Demo -c Release -- ARGS
//   ./build.sh bench [--filter=PATTERN] [--job=JOB] [-- ARGS]
//                                     every Exe under benchmarks/*/ with BenchmarkDotNet arguments
//                                     (ARGS replace the default "--filter * --job short")
//   ./build.sh soak [--minutes N] [-- ARGS]
//                                     benchmarks/Soak: producer, native agent on rotating logs and consumer workers
//                                     (killed and restarted) through the limits proxy under faults, a split and a
//                                     merge; then every record checked (nothing missing, order where promised) and a
//                                     table printed; exit code non-zero on loss or broken order. ARGS go to the soak
//                                     (e.g. --workers 3 --rate 500). Not part of test.
//   ./build.sh pack                   NuGet packages of Kinesis.Clients.Core, .Producer, .Consumer (+ .snupkg symbols),
//                                     validated, in artifacts/packages/
//   ./build.sh package                kinesis-agent for linux-x64 and linux-arm64 (native, self-contained) and
//                                     a .deb and an .rpm for each, checked by packaging/verify-deb.sh and
//                                     verify-rpm.sh; all in artifacts/package/
//
// Arguments for Cake itself:
//   --configuration=Release           build configuration
//   --hang-timeout=10m                a test project whose run makes no progress this long is killed and fails
//   --minutes=N                       Soak: minutes of writing (default 3)
//   --bench-args="..." / --demo-args="..." / --soak-args="..."   program arguments as one command-line string (build.sh fills these from "-- ARGS")
//   --package-version=0.2.0-rc.1      Pack, Package: overrides packaging/VERSION (SemVer; "-" becomes "~" in the .deb and .rpm version)

#nullable enable

#load "build/TestRuns.cake"

using System.Xml.Linq;

var target = Argument("target", "Test");
var configuration = Argument("configuration", "Release");
var hangTimeout = Argument("hang-timeout", "10m");

var root = MakeAbsolute(Directory("."));
var solution = root.CombineWithFilePath("Kinesis.Clients.sln");
var artifacts = root.Combine("artifacts");
var testResults = artifacts.Combine("test-results");
// build.sh prints this file after Cake returns, so the count is the very last line of the output
// (Cake's own task summary table would otherwise follow it).
var summaryFile = artifacts.CombineWithFilePath("test-summary.txt");
// Written after each restore: a restore is needed again only when a build input is newer (see RestoreNeeded).
var restoreStamp = artifacts.CombineWithFilePath("restore.stamp");

Task("Build")
  .Description("Builds the whole solution.")
  .Does(() =>
{
  // A restore evaluates every project again even when it has nothing to do (seconds on two cores), so it runs only
  // when a project or build file changed since the last one.
  var restore = RestoreNeeded();
  if (restore)
  {
    DotNetRestore(solution.FullPath);
    EnsureDirectoryExists(artifacts);
    System.IO.File.WriteAllText(restoreStamp.FullPath, "");
  }
  else
  {
    Information("Restore skipped: no project or build file changed since the last one.");
  }

  DotNetBuild(solution.FullPath, new DotNetBuildSettings
  {
    Configuration = configuration,
    NoLogo = true,
    NoRestore = true,
  });
});

Task("Test")
  .Description("Runs every test project, then sums up their results.")
  .IsDependentOn("Build")
  .Does(() =>
{
  // Formatting and code style (.editorconfig) as `dotnet format` would leave them; the build already fails on
  // analyzer warnings, so only these two parts are checked here.
  VerifyFormatting();

  // The agent's end-to-end tests run the program that ships: the natively compiled kinesis-agent. A library
  // user's service is represented by tests/AotProbe, also compiled natively (about a minute each on two cores).
  var nativeAgent = PublishNativeAgent(HostRid(), artifacts.Combine("native").Combine(HostRid()), null);
  var aotProbe = PublishAotProbe(HostRid(), artifacts.Combine("native").Combine(HostRid() + "-probe"));
  var environment = new Dictionary<string, string>
  {
    ["KINESIS_AGENT_PROGRAM"] = nativeAgent.FullPath,
    ["KINESIS_AOT_PROBE"] = aotProbe.FullPath,
  };
  PrepareTestResults();
  var runs = RunTestProjects(filter: null, environment, suffix: "");

  // The README's promise, kept on every run: one variable points the whole suite at a LocalStack-like endpoint. The
  // edge puts one port in front of the engines as LocalStack's gateway does; the engine tests run through it, and
  // what they leave behind there fails the build.
  runs.AddRange(RunThroughEdge(environment));
  SummarizeTestRuns(runs);
});

Task("Unit")
  .Description("Builds, then runs the tests that need no local engine and no program of their own.")
  // One build of the solution: building each test project on its own evaluates the shared projects again each time.
  .IsDependentOn("Build")
  .Does(() =>
{
  // Test classes that start the local engines carry [Trait("Category", "Engine")]; those that run the agent
  // program, [Trait("Category", "Program")]. With the variable set, an unmarked test that tries to start the
  // engines fails at once, naming the trait, instead of making the loop slow.
  PrepareTestResults();
  // The projects run side by side: most of a project's time here is the test host starting and loading, which
  // overlaps well, and no unit test holds a port, a file or an engine another project needs.
  SummarizeTestRuns(RunTestProjects(
    filter: "Category!=Engine&Category!=Program",
    new Dictionary<string, string> { ["KINESIS_CLIENTS_NO_ENGINES"] = "1" },
    suffix: "",
    parallel: true,
    unitTestsOnly: true));
});

Task("Demo")
  .Description("Runs samples/Demo against the local AWS engines.")
  .Does(() =>
{
  var demo = root.Combine("samples/Demo");
  if (!DirectoryExists(demo) || !GetFiles(demo.FullPath + "/*.csproj").Any())
  {
    throw new CakeException($"There is no demo project yet: expected a .csproj in {demo.FullPath}.");
  }

  DotNetRun(demo.FullPath, new ProcessArgumentBuilder().Append(Argument("demo-args", "")), new DotNetRunSettings
  {
    Configuration = configuration,
  });
});

Task("Bench")
  .Description("Runs the BenchmarkDotNet programs under benchmarks/ (not part of Test).")
  .Does(() =>
{
  var benchArgs = HasArgument("bench-args")
    ? Argument<string>("bench-args")
    : $"--filter {Quote(Argument("filter", "*"))} --job {Quote(Argument("job", "short"))}";

  var programs = GetFiles(root.FullPath + "/benchmarks/*/*.csproj")
    .Where(IsExecutable)
    .OrderBy(p => p.FullPath)
    .ToList();
  if (programs.Count == 0)
  {
    throw new CakeException("No benchmark programs found (benchmarks/*/*.csproj with OutputType Exe).");
  }

  foreach (var program in programs)
  {
    // Load tools (not BenchmarkDotNet) declare their runs in the project: <BenchRuns>mode args;mode args</BenchRuns>.
    var runs = BenchRuns(program);
    if (runs.Count > 0)
    {
      if (HasArgument("filter") && !program.GetFilenameWithoutExtension().FullPath.Contains(Argument<string>("filter").Trim('*'), StringComparison.OrdinalIgnoreCase))
      {
        continue;
      }

      // "{native-agent}" in a run stands for the natively compiled kinesis-agent, published once, here.
      FilePath? nativeAgent = null;
      foreach (var run in runs)
      {
        var arguments = run;
        if (run.Contains("{native-agent}", StringComparison.Ordinal))
        {
          nativeAgent ??= PublishNativeAgent(HostRid(), artifacts.Combine("native").Combine(HostRid()), null);
          arguments = run.Replace("{native-agent}", nativeAgent.FullPath, StringComparison.Ordinal);
        }

        Information("Load run {0}: {1}", program.GetFilenameWithoutExtension(), arguments);
        DotNetRun(program.FullPath, new ProcessArgumentBuilder().Append(arguments), new DotNetRunSettings { Configuration = "Release" });
      }

      continue;
    }

    Information("Benchmarking {0} with: {1}", program.GetFilenameWithoutExtension(), benchArgs);
    // Always Release: BenchmarkDotNet refuses to measure a Debug build.
    DotNetRun(program.FullPath, new ProcessArgumentBuilder().Append(benchArgs), new DotNetRunSettings
    {
      Configuration = "Release",
    });
  }
});

Task("Soak")
  .Description("Runs the soak (benchmarks/Soak): the whole path under faults, then every record checked (not part of Test).")
  .Does(() =>
{
  // The agent runs as it ships: natively compiled, published here. --minutes N (default 3) is the writing time.
  var nativeAgent = PublishNativeAgent(HostRid(), artifacts.Combine("native").Combine(HostRid()), null);
  var arguments = new ProcessArgumentBuilder()
    .Append("run")
    .Append("--minutes").Append(Argument("minutes", "3"))
    .Append("--agent").AppendQuoted(nativeAgent.FullPath);
  if (HasArgument("soak-args"))
  {
    arguments.Append(Argument<string>("soak-args"));
  }

  DotNetRun(root.CombineWithFilePath("benchmarks/Soak/Kinesis.Clients.Soak.csproj").FullPath, arguments, new DotNetRunSettings { Configuration = "Release" });
});

Task("Pack")
  .Description("Packs the libraries (Core, Producer, Consumer) into NuGet packages with symbols, validated, in artifacts/packages/.")
  .Does(() =>
{
  var version = Argument("package-version", System.IO.File.ReadAllText(root.CombineWithFilePath("packaging/VERSION").FullPath).Trim());
  PackLibraries(artifacts.Combine("packages"), version);
});

Task("Package")
  .Description("Publishes kinesis-agent for linux-x64 and linux-arm64 and builds and checks a .deb and an .rpm for each.")
  .Does(() =>
{
  var version = Argument("package-version", System.IO.File.ReadAllText(root.CombineWithFilePath("packaging/VERSION").FullPath).Trim());
  if (!System.Text.RegularExpressions.Regex.IsMatch(version, @"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"))
  {
    throw new CakeException($"Package version '{version}' is not SemVer (1.2.3, 1.2.3-rc.1).");
  }

  // Debian and rpm both sort '~' before anything, so 0.2.0~rc.1 comes before 0.2.0 as 0.2.0-rc.1 does in SemVer
  // (and rpm allows no '-' in a version).
  var packageVersion = version.Replace('-', '~');
  var packageDir = artifacts.Combine("package");
  EnsureDirectoryExists(packageDir);
  DeleteFiles(packageDir.FullPath + "/*.deb");
  DeleteFiles(packageDir.FullPath + "/*.rpm");

  var debs = new List<FilePath>();
  var rpms = new List<FilePath>();
  foreach (var (rid, arch, rpmArch) in new[] { ("linux-x64", "amd64", "x86_64"), ("linux-arm64", "arm64", "aarch64") })
  {
    var output = packageDir.Combine(rid);
    Information("Publishing kinesis-agent {0} for {1} (native)", version, rid);
    PublishNativeAgent(rid, output, version);
    // Native symbols (for a crash's stack) stay beside the packages, not in them.
    var symbols = packageDir.Combine("symbols").Combine(rid);
    EnsureDirectoryExists(symbols);
    CleanDirectory(symbols);
    MoveFiles(output.FullPath + "/*.dbg", symbols);

    RunScript("packaging/build-deb.sh", arch, packageVersion, output.FullPath, packageDir.FullPath);
    debs.Add(packageDir.CombineWithFilePath($"kinesis-agent_{packageVersion}_{arch}.deb"));
    // The same binaries for Amazon Linux 2023 and RHEL 9.
    RunScript("packaging/build-rpm.sh", rpmArch, packageVersion, output.FullPath, packageDir.FullPath);
    rpms.Add(packageDir.CombineWithFilePath($"kinesis-agent-{packageVersion}-1.{rpmArch}.rpm"));
  }

  foreach (var deb in debs)
  {
    RunScript("packaging/verify-deb.sh", deb.FullPath, packageVersion);
  }

  foreach (var rpm in rpms)
  {
    RunScript("packaging/verify-rpm.sh", rpm.FullPath, packageVersion);
  }
});

RunTarget(target);

// The NuGet packages users add: the three libraries, each with its README, licence, XML docs and a .snupkg of
// symbols, built reproducibly (ContinuousIntegrationBuild maps source paths to /_/) and checked by package
// validation. Returns the folder, which a project can use as a local package source.
DirectoryPath PackLibraries(DirectoryPath output, string version)
{
  if (!System.Text.RegularExpressions.Regex.IsMatch(version, @"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$"))
  {
    throw new CakeException($"Package version '{version}' is not SemVer (1.2.3, 1.2.3-rc.1).");
  }

  EnsureDirectoryExists(output);
  CleanDirectory(output);
  foreach (var library in new[] { "Core", "Producer", "Consumer" })
  {
    DotNetPack(root.CombineWithFilePath($"src/{library}/Kinesis.Clients.{library}.csproj").FullPath, new DotNetPackSettings
    {
      Configuration = configuration,
      OutputDirectory = output,
      NoLogo = true,
      MSBuildSettings = new DotNetMSBuildSettings()
        .WithProperty("Version", version)
        .WithProperty("ContinuousIntegrationBuild", "true"),
    });
  }

  return output;
}

// Fails when `dotnet format` would change whitespace, import order or code style anywhere in the solution; the
// message says the command that fixes it.
void VerifyFormatting()
{
  foreach (var part in new[] { "whitespace", "style" })
  {
    var exitCode = StartProcess("dotnet", new ProcessSettings
    {
      Arguments = new ProcessArgumentBuilder()
        .Append("format").Append(part).Append(solution.FullPath)
        .Append("--verify-no-changes").Append("--no-restore"),
      WorkingDirectory = root,
    });
    if (exitCode != 0)
    {
      throw new CakeException($"`dotnet format {part}` would change the files listed above: run `dotnet format {part} Kinesis.Clients.sln` and commit the result.");
    }
  }
}

void PrepareTestResults()
{
  EnsureDirectoryExists(artifacts);
  CleanDirectory(testResults);
  if (FileExists(summaryFile))
  {
    DeleteFile(summaryFile);
  }
}

// Runs every tests/*/*.Tests.csproj as built, one after the other (or side by side, each one's output shown when it
// ends); a run's results file and name carry the suffix.
List<TestRun> RunTestProjects(string? filter, Dictionary<string, string> environment, string suffix, bool parallel = false, bool unitTestsOnly = false)
{
  // A project marked <EngineTestsOnly> would only start a test host (20-30 s of a loaded machine) to find nothing to run.
  var projects = GetFiles(root.FullPath + "/tests/*/*.Tests.csproj")
    .Where(p => !unitTestsOnly || !EngineTestsOnly(p))
    .OrderBy(p => p.FullPath)
    .ToList();
  if (projects.Count == 0)
  {
    throw new CakeException("No test projects found (tests/*/*.Tests.csproj).");
  }

  if (parallel)
  {
    return RunTestProjectsSideBySide(projects, filter, environment, suffix);
  }

  var runs = new List<TestRun>();
  foreach (var project in projects)
  {
    var name = project.GetFilenameWithoutExtension().FullPath + suffix;
    var exitCode = 0;
    Information("Testing {0}", name);
    // One failing or crashing project must not hide the results of the others.
    DotNetTest(project.FullPath, new DotNetTestSettings
    {
      Configuration = configuration,
      NoBuild = true,
      NoLogo = true,
      Filter = filter,
      ResultsDirectory = testResults,
      Loggers = new[] { $"trx;LogFileName={name}.trx", "console;verbosity=normal" },
      HandleExitCode = code => { exitCode = code; return true; },
      EnvironmentVariables = environment,
      // A hung test would otherwise hold the run until CI gives up on it; no dump, just the names.
      ArgumentCustomization = args => args
        .Append("--blame-hang-timeout").Append(hangTimeout)
        .Append("--blame-hang-dump-type").Append("none"),
    });
    runs.Add(TestRun.Read(name, exitCode, testResults.CombineWithFilePath(name + ".trx").FullPath));
  }

  return runs;
}

List<TestRun> RunTestProjectsSideBySide(List<FilePath> projects, string? filter, Dictionary<string, string> environment, string suffix)
{
  var gate = new System.Threading.SemaphoreSlim(Math.Max(2, Environment.ProcessorCount));
  var output = new object();
  var tasks = projects.Select(project => System.Threading.Tasks.Task.Run(async () =>
  {
    var name = project.GetFilenameWithoutExtension().FullPath + suffix;
    await gate.WaitAsync();
    try
    {
      var start = new System.Diagnostics.ProcessStartInfo("dotnet")
      {
        UseShellExecute = false,
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        WorkingDirectory = root.FullPath,
      };
      foreach (var arg in new[]
      {
        "test", project.FullPath, "--configuration", configuration, "--no-build", "--nologo",
        "--results-directory", testResults.FullPath,
        "--logger", $"trx;LogFileName={name}.trx", "--logger", "console;verbosity=normal",
        // A hung test would otherwise hold the run until CI gives up on it; no dump, just the names.
        "--blame-hang-timeout", hangTimeout, "--blame-hang-dump-type", "none",
      })
      {
        start.ArgumentList.Add(arg);
      }

      if (filter is not null)
      {
        start.ArgumentList.Add("--filter");
        start.ArgumentList.Add(filter);
      }

      foreach (var (key, value) in environment)
      {
        start.Environment[key] = value;
      }

      var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
      using var process = new System.Diagnostics.Process { StartInfo = start };
      process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
      process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
      var watch = System.Diagnostics.Stopwatch.StartNew();
      process.Start();
      process.BeginOutputReadLine();
      process.BeginErrorReadLine();
      await process.WaitForExitAsync();
      process.WaitForExit(); // drains the output handlers
      lock (output)
      {
        Information("Testing {0} ({1:F1} s)", name, watch.Elapsed.TotalSeconds);
        foreach (var line in lines)
        {
          Information("{0}", line);
        }
      }

      return TestRun.Read(name, process.ExitCode, testResults.CombineWithFilePath(name + ".trx").FullPath);
    }
    finally
    {
      gate.Release();
    }
  })).ToList();
  return System.Threading.Tasks.Task.WhenAll(tasks).GetAwaiter().GetResult().ToList();
}

// Whether the solution needs a restore: never restored by this script, a project without restore output, or a
// project, build props/targets file, global.json or NuGet.config changed since the last restore.
bool RestoreNeeded()
{
  if (!FileExists(restoreStamp))
  {
    return true;
  }

  var restored = System.IO.File.GetLastWriteTimeUtc(restoreStamp.FullPath);
  var skip = new HashSet<string>(StringComparer.Ordinal) { "bin", "obj", "node_modules", "artifacts", ".git" };
  var pending = new Stack<string>();
  pending.Push(root.FullPath);
  while (pending.Count > 0)
  {
    var folder = pending.Pop();
    foreach (var file in System.IO.Directory.EnumerateFiles(folder))
    {
      var name = System.IO.Path.GetFileName(file);
      var input = name.EndsWith(".csproj", StringComparison.Ordinal) || name.EndsWith(".props", StringComparison.Ordinal)
        || name.EndsWith(".targets", StringComparison.Ordinal) || name.Equals("global.json", StringComparison.Ordinal)
        || name.Equals("nuget.config", StringComparison.OrdinalIgnoreCase);
      if (!input)
      {
        continue;
      }

      if (System.IO.File.GetLastWriteTimeUtc(file) > restored)
      {
        return true;
      }

      if (name.EndsWith(".csproj", StringComparison.Ordinal)
        && !System.IO.File.Exists(System.IO.Path.Combine(folder, "obj", "project.assets.json")))
      {
        return true;
      }
    }

    foreach (var child in System.IO.Directory.EnumerateDirectories(folder))
    {
      if (!skip.Contains(System.IO.Path.GetFileName(child)))
      {
        pending.Push(child);
      }
    }
  }

  return false;
}

// Starts tests/LocalEdge (the local engines with LocalStack's defaults behind one LocalStack-style port), runs every
// project's engine tests with KINESIS_CLIENTS_ENDPOINT pointing at it, then stops it. The edge lists what the tests
// left in the engines as it stops; anything left counts as one failed run, so a leak fails here and not on a user's
// shared LocalStack.
List<TestRun> RunThroughEdge(Dictionary<string, string> environment)
{
  var program = root.CombineWithFilePath($"tests/LocalEdge/bin/{configuration}/net10.0/kinesis-local-edge.dll");
  if (!FileExists(program))
  {
    throw new CakeException($"The edge program is missing ({program.FullPath}): the Build task builds it with the solution.");
  }

  var start = new System.Diagnostics.ProcessStartInfo("dotnet")
  {
    UseShellExecute = false,
    RedirectStandardInput = true,
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    WorkingDirectory = root.FullPath,
  };
  start.ArgumentList.Add(program.FullPath);
  start.ArgumentList.Add("--port");
  start.ArgumentList.Add("0");
  const string Listening = "kinesis-local-edge: listening on ";
  var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
  var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
  using var edge = new System.Diagnostics.Process { StartInfo = start };
  edge.OutputDataReceived += (_, e) =>
  {
    if (e.Data is null)
    {
      return;
    }

    lines.Enqueue(e.Data);
    if (e.Data.StartsWith(Listening, StringComparison.Ordinal))
    {
      endpoint.TrySetResult(e.Data[Listening.Length..].Trim());
    }
  };
  edge.ErrorDataReceived += (_, e) =>
  {
    if (e.Data is not null)
    {
      lines.Enqueue(e.Data);
    }
  };
  edge.Start();
  edge.BeginOutputReadLine();
  edge.BeginErrorReadLine();
  var first = System.Threading.Tasks.Task.WhenAny(endpoint.Task, edge.WaitForExitAsync(), System.Threading.Tasks.Task.Delay(TimeSpan.FromMinutes(3))).GetAwaiter().GetResult();
  if (first != endpoint.Task)
  {
    if (!edge.HasExited)
    {
      edge.Kill(entireProcessTree: true);
    }

    throw new CakeException($"kinesis-local-edge did not start:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
  }

  Information("");
  Information("Engine tests again, through the LocalStack-style edge at {0} (KINESIS_CLIENTS_ENDPOINT)", endpoint.Task.Result);
  var runs = new List<TestRun>();
  try
  {
    runs.AddRange(RunTestProjects(
      filter: "Category=Engine",
      new Dictionary<string, string>(environment) { ["KINESIS_CLIENTS_ENDPOINT"] = endpoint.Task.Result },
      suffix: ".edge"));
  }
  finally
  {
    // Closing its input stops it; before it exits it lists what is left in the engines.
    edge.StandardInput.Close();
    if (!edge.WaitForExit(120_000))
    {
      edge.Kill(entireProcessTree: true);
    }

    edge.WaitForExit();
  }

  foreach (var line in lines.Where(l => !l.StartsWith(Listening, StringComparison.Ordinal)))
  {
    Information("{0}", line);
  }

  var left = lines.Where(l => l.StartsWith("  stream ", StringComparison.Ordinal) || l.StartsWith("  table ", StringComparison.Ordinal)).Select(l => l.Trim());
  var problem = edge.ExitCode switch
  {
    0 => null,
    3 => $"the engine tests left behind: {string.Join("; ", left)}",
    var code => $"kinesis-local-edge exited with code {code}",
  };
  runs.Add(new TestRun("kinesis-local-edge (leftovers)", edge.ExitCode, 0, 0, 0, problem));
  return runs;
}

// Writes the summed "N passed, N failed, N skipped" of every run to the summary file and fails if any run failed.
void SummarizeTestRuns(List<TestRun> runs)
{
  // What failed, and why, comes last but for the table: a log cut to its end still shows it.
  // The first few in full (message cut to its ends, the stack to where it was thrown), the rest by name.
  var shown = 0;
  foreach (var run in runs)
  {
    foreach (var (test, message, stack) in run.Failures)
    {
      Error("FAILED in {0}: {1}", run.Name, test);
      if (++shown > 5)
      {
        continue;
      }

      foreach (var line in Shortened(message).Concat(Lines(stack).Take(3)))
      {
        Error("    {0}", line);
      }
    }
  }

  Information("");
  foreach (var run in runs)
  {
    Information("{0,-40} passed {1,5}  failed {2,4}  skipped {3,4}  exit code {4}{5}",
      run.Name, run.Passed, run.Failed, run.Skipped, run.ExitCode, run.Problem is null ? "" : "  " + run.Problem);
  }

  var passed = runs.Sum(r => r.Passed);
  // A project whose run aborted (crash, hang, missing results) without reporting a failure counts as one
  // failed test, so the summary never reads "0 failed" for a failing run.
  var failed = runs.Sum(r => r.Failed > 0 || r.Problem is null ? r.Failed : 1);
  var skipped = runs.Sum(r => r.Skipped);
  var summary = $"{passed} passed, {failed} failed, {skipped} skipped";
  System.IO.File.WriteAllText(summaryFile.FullPath, summary + Environment.NewLine);

  var problems = runs.Where(r => r.Failed > 0 || r.Problem is not null).Select(r => r.Name).ToList();
  if (problems.Count > 0)
  {
    throw new CakeException($"Tests failed in {string.Join(", ", problems)}: {summary}. Results: {testResults.FullPath}");
  }

  if (passed + failed == 0)
  {
    throw new CakeException("No test ran.");
  }
}

// The agent as it ships: a native program (Native AOT), self-contained, with libe_sqlite3.so beside it. Publishing
// for the other architecture cross-compiles, which takes clang and that architecture's GNU binutils and C library
// (build.sh installs them for package). Returns the program's path.
FilePath PublishAotProbe(string rid, DirectoryPath output)
{
  EnsureDirectoryExists(output);
  CleanDirectory(output);
  DotNetPublish(root.CombineWithFilePath("tests/AotProbe/Kinesis.Clients.AotProbe.csproj").FullPath, new DotNetPublishSettings
  {
    Configuration = configuration,
    Runtime = rid,
    OutputDirectory = output,
    NoLogo = true,
  });

  var program = output.CombineWithFilePath("kinesis-aot-probe");
  if (!FileExists(program))
  {
    throw new CakeException($"Publishing tests/AotProbe for {rid} left no program at {program.FullPath}.");
  }

  return program;
}

FilePath PublishNativeAgent(string rid, DirectoryPath output, string? version)
{
  EnsureDirectoryExists(output);
  CleanDirectory(output);
  var properties = new DotNetMSBuildSettings()
    // Stack traces name methods from the program itself; the managed assemblies carry no separate .pdb.
    .WithProperty("DebugType", "embedded")
    .WithProperty("GenerateDocumentationFile", "false");
  if (version is not null)
  {
    properties = properties.WithProperty("Version", version);
  }

  if (rid != HostRid())
  {
    properties = properties.WithProperty("ObjCopyName", (rid == "linux-arm64" ? "aarch64" : "x86_64") + "-linux-gnu-objcopy");
  }

  DotNetPublish(root.CombineWithFilePath("src/Agent/Kinesis.Clients.Agent.csproj").FullPath, new DotNetPublishSettings
  {
    Configuration = configuration,
    Runtime = rid,
    OutputDirectory = output,
    NoLogo = true,
    MSBuildSettings = properties,
  });

  var program = output.CombineWithFilePath("kinesis-agent");
  if (!FileExists(program))
  {
    throw new CakeException($"Publishing kinesis-agent for {rid} left no program at {program.FullPath}.");
  }

  return program;
}

static string HostRid() =>
  System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "linux-arm64" : "linux-x64";

void RunScript(string script, params string[] arguments)
{
  var builder = new ProcessArgumentBuilder();
  foreach (var argument in arguments)
  {
    builder.AppendQuoted(argument);
  }

  var exitCode = StartProcess(root.CombineWithFilePath(script), new ProcessSettings { Arguments = builder, WorkingDirectory = root });
  if (exitCode != 0)
  {
    throw new CakeException($"{script} failed (exit code {exitCode}).");
  }
}

static bool IsExecutable(FilePath project) =>
  XDocument.Load(project.FullPath).Descendants()
    .Any(e => e.Name.LocalName == "OutputType" && string.Equals(e.Value.Trim(), "Exe", StringComparison.OrdinalIgnoreCase));

static bool EngineTestsOnly(FilePath project) =>
  XDocument.Load(project.FullPath).Descendants()
    .Any(e => e.Name.LocalName == "EngineTestsOnly" && string.Equals(e.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase));

static List<string> BenchRuns(FilePath project) =>
  XDocument.Load(project.FullPath).Descendants()
    .Where(e => e.Name.LocalName == "BenchRuns")
    .SelectMany(e => e.Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
    .ToList();

static string Quote(string value) =>
  value.Length > 0 && value.All(c => !char.IsWhiteSpace(c) && c != '"' && c != '\\') ? value : "\"" + value.Replace("\"", "\\\"") + "\"";
