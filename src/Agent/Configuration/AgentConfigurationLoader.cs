using System.Text.Json;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// Reads <c>agent.json</c> and the <c>agent.d/*.json</c> fragments beside it. Fragments are read in ordinal order
/// of their names; their <c>flows</c> are appended, and each may set top-level keys no other file sets.
/// Comments (<c>//</c>, <c>/* */</c>) are allowed as in the Java agent (Jackson's ALLOW_COMMENTS); trailing commas
/// are not (Jackson's default).
/// </summary>
internal static class AgentConfigurationLoader
{
    /// <summary>Where the agent looks for its configuration by default.</summary>
    public const string DefaultPath = "/etc/kinesis-agent/agent.json";

    /// <summary>The fragment folder, beside the main file.</summary>
    public const string FragmentFolder = "agent.d";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <summary>Reads the file at <paramref name="path"/> and its <c>agent.d/*.json</c> fragments.</summary>
    /// <exception cref="AgentConfigurationException">A file is missing, unreadable, not JSON, or holds a bad value.</exception>
    public static AgentConfiguration Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var documents = new List<(string File, JsonDocument Document)>();
        try
        {
            documents.Add((path, ReadDocument(path)));
            var folder = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/", FragmentFolder);
            foreach (var fragment in ListFragments(folder))
            {
                documents.Add((fragment, ReadDocument(fragment)));
            }

            return Build(path, documents);
        }
        finally
        {
            foreach (var (_, document) in documents)
            {
                document.Dispose();
            }
        }
    }

    /// <summary>Parses one document on its own (no fragments); <paramref name="fileName"/> names it in errors.</summary>
    /// <exception cref="AgentConfigurationException">The text is not JSON or holds a bad value.</exception>
    public static AgentConfiguration Parse(string json, string fileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var document = ParseDocument(fileName, () => JsonDocument.Parse(json, DocumentOptions));
        return Build(fileName, [(fileName, document)]);
    }

    private static List<string> ListFragments(string folder)
    {
        try
        {
            if (!Directory.Exists(folder))
            {
                return [];
            }

            var files = Directory.GetFiles(folder, "*.json", SearchOption.TopDirectoryOnly).ToList();
            files.Sort(StringComparer.Ordinal);
            return files;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentConfigurationException(folder, null, $"cannot list the fragment folder: {e.Message}", e);
        }
    }

    private static JsonDocument ReadDocument(string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new AgentConfigurationException(file, null, "does not exist", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new AgentConfigurationException(file, null, "cannot be read: permission denied", e);
        }
        catch (IOException e)
        {
            throw new AgentConfigurationException(file, null, $"cannot be read: {e.Message}", e);
        }

        // Editors on some systems save a UTF-8 byte order mark, which the JSON reader would refuse.
        var start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        return ParseDocument(file, () => JsonDocument.Parse(bytes.AsMemory(start), DocumentOptions));
    }

    private static JsonDocument ParseDocument(string file, Func<JsonDocument> parse)
    {
        try
        {
            return parse();
        }
        catch (JsonException e)
        {
            var reason = e.Message;
            var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
            reason = cut > 0 ? reason[..cut] : reason;
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : string.Empty;
            throw new AgentConfigurationException(file, null, $"is not valid JSON{where}: {reason}", e);
        }
    }

    private static AgentConfiguration Build(string mainFile, List<(string File, JsonDocument Document)> documents)
    {
        var entries = new Dictionary<string, (JsonElement, string)>(StringComparer.Ordinal);
        var flows = new List<(JsonElement Flow, string File, int Index)>();
        foreach (var (file, document) in documents)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new AgentConfigurationException(file, null, $"must hold one JSON object, found {ConfigObject.Describe(root)}");
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new AgentConfigurationException(file, property.Name, "is set twice in the same file");
                }

                if (property.Name == "flows")
                {
                    if (property.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw new AgentConfigurationException(file, "flows", $"must be an array of flow objects, found {ConfigObject.Describe(property.Value)}");
                    }

                    var index = 0;
                    foreach (var flow in property.Value.EnumerateArray())
                    {
                        flows.Add((flow, file, index++));
                    }
                }
                else if (entries.TryGetValue(property.Name, out var earlier))
                {
                    throw new AgentConfigurationException(file, property.Name,
                        $"is already set in {earlier.Item2}; a top-level key may be set in one file only");
                }
                else
                {
                    entries[property.Name] = (property.Value, file);
                }
            }
        }

        var settings = ConfigObject.Merged(mainFile, entries, AgentSettingsReader.Keys, AgentSettingsReader.Unsupported);
        if (flows.Count == 0)
        {
            throw new AgentConfigurationException(mainFile, "flows",
                $"at least one flow is required, in this file or in {FragmentFolder}/*.json beside it");
        }

        var read = new List<FlowConfiguration>(flows.Count);
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (element, file, index) in flows)
        {
            var path = $"flows[{index}]";
            var flow = FlowReader.Read(element, file, path);
            if (!byId.TryAdd(flow.Id, $"{file} {path}"))
            {
                throw new AgentConfigurationException(file, path,
                    $"sends the same files to the same stream as {byId[flow.Id]} (flow id {flow.Id})");
            }

            read.Add(flow);
        }

        return AgentSettingsReader.Read(settings, read);
    }
}
