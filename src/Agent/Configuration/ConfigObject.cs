using System.Globalization;
using System.Text.Json;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// One JSON object of the configuration with the file each key came from. Unknown and duplicate keys are
/// rejected when it is opened; typed reads reject wrong JSON types and out-of-range values, naming the file,
/// the key path and what is allowed.
/// </summary>
internal sealed class ConfigObject
{
    private readonly Dictionary<string, (JsonElement Value, string File)> _entries;

    private ConfigObject(string file, string path, Dictionary<string, (JsonElement, string)> entries)
    {
        File = file;
        Path = path;
        _entries = entries;
    }

    /// <summary>The file the object came from (for a merged root: the main file).</summary>
    public string File { get; }

    /// <summary>The object's key path: empty for the root, else like <c>flows[1]</c>.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens a JSON object, rejecting duplicate keys, keys in <paramref name="unsupported"/> (with their own
    /// explanation) and keys not in <paramref name="allowedKeys"/>.
    /// </summary>
    public static ConfigObject Open(
        JsonElement element,
        string file,
        string path,
        IReadOnlyCollection<string> allowedKeys,
        IReadOnlyDictionary<string, string>? unsupported = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new AgentConfigurationException(file, path.Length == 0 ? null : path,
                $"must be a JSON object, found {Describe(element)}");
        }

        var entries = new Dictionary<string, (JsonElement, string)>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var keyPath = Join(path, property.Name);
            if (!entries.TryAdd(property.Name, (property.Value, file)))
            {
                throw new AgentConfigurationException(file, keyPath, "is set twice in the same object");
            }
        }

        var opened = new ConfigObject(file, path, entries);
        opened.RejectUnknown(allowedKeys, unsupported);
        return opened;
    }

    /// <summary>Builds the merged root from keys gathered over several files (already checked for clashes).</summary>
    public static ConfigObject Merged(
        string mainFile,
        Dictionary<string, (JsonElement, string)> entries,
        IReadOnlyCollection<string> allowedKeys,
        IReadOnlyDictionary<string, string>? unsupported = null)
    {
        var merged = new ConfigObject(mainFile, string.Empty, entries);
        merged.RejectUnknown(allowedKeys, unsupported);
        return merged;
    }

    /// <summary>Joins a parent path and a key the way messages show it.</summary>
    public static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>The key path of <paramref name="key"/> in this object.</summary>
    public string KeyPath(string key) => Join(Path, key);

    /// <summary>The file that set <paramref name="key"/>, or the object's file.</summary>
    public string FileOf(string key) => _entries.TryGetValue(key, out var entry) ? entry.File : File;

    /// <summary>Whether the key is present (even as <c>null</c>).</summary>
    public bool Has(string key) => _entries.ContainsKey(key);

    /// <summary>The raw value, if present.</summary>
    public bool TryGet(string key, out JsonElement value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            value = entry.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>An error about <paramref name="key"/> of this object.</summary>
    public AgentConfigurationException Error(string key, string problem, Exception? inner = null) =>
        new(FileOf(key), KeyPath(key), problem, inner);

    /// <summary>A string value; <see langword="null"/> when absent. Empty strings are kept.</summary>
    public string? OptionalString(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(key, $"must be a string, found {Describe(value)}");
        }

        return value.GetString()!;
    }

    /// <summary>A required, non-empty string.</summary>
    public string RequiredString(string key, string what)
    {
        var value = OptionalString(key) ?? throw Error(key, $"is required: {what}");
        return value.Length == 0 ? throw Error(key, $"must not be empty: {what}") : value;
    }

    /// <summary>
    /// A boolean as the Java agent reads one: JSON <c>true</c>/<c>false</c>, or a string or number whose text is
    /// <c>true yes t y 1</c> or <c>false no f n 0</c> in any case (its <c>BooleanConverter</c>).
    /// </summary>
    public bool Boolean(string key, bool defaultValue)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String or JsonValueKind.Number when JavaValues.TryParseBoolean(
                value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText(), out var parsed) => parsed,
            _ => throw Error(key, $"must be true or false (or a string of true/yes/t/y/1, false/no/f/n/0), found {Describe(value)}"),
        };
    }

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Int64(string key, long defaultValue, long min, long max)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        var allowed = $"an integer from {Format(min)} to {Format(max)}";
        long number;
        if (value.ValueKind == JsonValueKind.String)
        {
            // The Java agent takes numbers written as strings, parsed by Java's Long.decode ("60000", "0x10", "010").
            if (!JavaValues.TryDecodeLong(value.GetString()!, out number))
            {
                throw Error(key, $"must be {allowed} (a string must hold an integer as Java's Long.decode reads it), found {Describe(value)}");
            }
        }
        else if (value.ValueKind != JsonValueKind.Number)
        {
            throw Error(key, $"must be {allowed}, found {Describe(value)}");
        }
        else if (!value.TryGetInt64(out number))
        {
            throw Error(key, $"must be {allowed}, found {value.GetRawText()}");
        }

        return number < min || number > max
            ? throw Error(key, $"must be {allowed}, found {Format(number)}")
            : number;
    }

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public int Int32(string key, int defaultValue, int min, int max) => (int)Int64(key, defaultValue, min, max);

    /// <summary>Milliseconds within [<paramref name="minMillis"/>, <paramref name="maxMillis"/>] as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Millis(string key, long defaultMillis, long minMillis, long maxMillis) =>
        TimeSpan.FromMilliseconds(Int64(key, defaultMillis, minMillis, maxMillis));

    /// <summary>One of the names in <paramref name="names"/>, spelled exactly (the Java agent is case-sensitive).</summary>
    public T Enum<T>(string key, T defaultValue, IReadOnlyList<(string Name, T Value)> names)
    {
        var text = OptionalString(key);
        if (text is null)
        {
            return defaultValue;
        }

        foreach (var (name, value) in names)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                return value;
            }
        }

        throw Error(key, $"'{text}' is not allowed; allowed: {string.Join(", ", names.Select(n => n.Name))}");
    }

    /// <summary>A non-empty array of non-empty, distinct strings; <see langword="null"/> when absent.</summary>
    public IReadOnlyList<string>? DistinctNames(string key)
    {
        if (!TryGet(key, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            throw Error(key, $"must be a non-empty array of strings, found {Describe(value)}");
        }

        var names = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{KeyPath(key)}[{index}]";
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Length == 0)
            {
                throw new AgentConfigurationException(FileOf(key), itemPath, $"must be a non-empty string, found {Describe(item)}");
            }

            var name = item.GetString()!;
            if (names.Contains(name, StringComparer.Ordinal))
            {
                throw new AgentConfigurationException(FileOf(key), itemPath, $"'{name}' is listed twice; JSON keys must be distinct");
            }

            names.Add(name);
            index++;
        }

        return names;
    }

    /// <summary>Describes a JSON value for messages: its kind, and short scalars in full.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => value.GetString()!.Length <= 40 ? $"the string \"{Shown(value.GetString()!)}\"" : "a string",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>
    /// A configured value as messages show it: control characters escaped (the message stays one line) and, past 200
    /// characters, cut with the full length given, so a hostile value cannot flood the log.
    /// </summary>
    public static string Shown(string value)
    {
        const int Longest = 200;
        var text = new System.Text.StringBuilder();
        foreach (var c in value.Length > Longest ? value[..Longest] : value)
        {
            if (char.IsControl(c))
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                text.Append(c);
            }
        }

        return value.Length > Longest ? text.Append(CultureInfo.InvariantCulture, $"... ({value.Length:N0} characters)").ToString() : text.ToString();
    }

    private static string Format(long number) => number.ToString("N0", CultureInfo.InvariantCulture);

    private void RejectUnknown(IReadOnlyCollection<string> allowedKeys, IReadOnlyDictionary<string, string>? unsupported)
    {
        foreach (var key in _entries.Keys)
        {
            if (unsupported is not null && unsupported.TryGetValue(key, out var why))
            {
                throw Error(key, why);
            }

            if (allowedKeys.Contains(key))
            {
                continue;
            }

            var near = allowedKeys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase))
                ?? allowedKeys.FirstOrDefault(k => EditDistance(k, key) <= 2);
            var hint = near is null ? string.Empty : $" (did you mean '{near}'?)";
            throw Error(key, $"unknown key{hint}; allowed keys: {string.Join(", ", allowedKeys)}");
        }
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
