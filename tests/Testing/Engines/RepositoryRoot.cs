namespace Kinesis.Clients.Testing;

/// <summary>Finds the repository checkout the tests run from, and the emulator install inside it.</summary>
public static class RepositoryRoot
{
    internal const string SolutionFileName = "Kinesis.Clients.sln";

    /// <summary>Walks up from <paramref name="startDirectory"/> to the folder holding the solution file.</summary>
    /// <exception cref="InvalidOperationException">No parent folder holds the solution file.</exception>
    public static string Find(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Cannot find the repository root: no folder from '{startDirectory}' upwards contains {SolutionFileName}. " +
            "The local AWS engines are started from the repository's tools/emulators folder, so run the tests from a checkout.");
    }

    /// <summary>The folder with run.js and the installed engines, checked to be installed.</summary>
    /// <exception cref="InvalidOperationException">The engines have not been installed with npm.</exception>
    public static string EmulatorsDirectory(string repositoryRoot)
    {
        var emulators = Path.Combine(repositoryRoot, "tools", "emulators");
        var runner = Path.Combine(emulators, "run.js");
        if (!File.Exists(runner))
        {
            throw new InvalidOperationException($"The engine runner '{runner}' is missing from the checkout.");
        }

        foreach (var package in new[] { "kinesis-local", "dynalite" })
        {
            var packageJson = Path.Combine(emulators, "node_modules", package, "package.json");
            if (!File.Exists(packageJson))
            {
                throw new InvalidOperationException(
                    $"The local AWS engines are not installed ('{packageJson}' is missing). " +
                    $"Run `npm ci` in '{emulators}', or run `./build.sh test` from the repository root, which does it for you.");
            }
        }

        return emulators;
    }
}
