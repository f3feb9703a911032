using System.Text.Json;
using Kinesis.Clients.Agent.Processing;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>Reads a flow's <c>dataProcessingOptions</c>.</summary>
internal static class ProcessingOptionReader
{
    private const string NameKey = "optionName";

    private static readonly string[] SingleLineKeys = [NameKey, "parseOptions"];
    private static readonly string[] CsvKeys = [NameKey, "customFieldNames", "delimiter", "jsonFormat"];
    private static readonly string[] LogKeys = [NameKey, "logFormat", "matchPattern", "customFieldNames", "jsonFormat"];
    private static readonly string[] MetadataKeys = [NameKey, "metadata", "timestamp", "jsonFormat"];
    private static readonly string[] BracketsKeys = [NameKey];

    // The Java agent's ADDEC2METADATA also builds a log parser it never uses, so it reads the LOGTOJSON keys too.
    private static readonly string[] Ec2MetadataKeys = [NameKey, "metadataTTL", "jsonFormat", "logFormat", "matchPattern", "customFieldNames"];

    private const string Allowed = "allowed: SINGLELINE, CSVTOJSON, LOGTOJSON, ADDMETADATA, ADDEC2METADATA, ADDBRACKETS";

    private static readonly (string, string?)[] Names =
    [
        ("SINGLELINE", null), ("CSVTOJSON", null), ("LOGTOJSON", null), ("ADDMETADATA", null),
        ("ADDEC2METADATA", null), ("ADDBRACKETS", null),
        ("USINGPLUGGIN", "loads a Java class (a pluggable converter of the Java agent), which kinesis-agent cannot run; "
            + "convert with the built-in options, or keep this flow on the Amazon Kinesis Agent"),
    ];

    private static readonly (string, JsonFormat)[] JsonFormats =
    [
        ("COMPACT", JsonFormat.Compact), ("PRETTYPRINT", JsonFormat.PrettyPrint),
    ];

    private static readonly (string, LogFormat)[] LogFormats =
    [
        ("COMMONAPACHELOG", LogFormat.CommonApacheLog), ("COMBINEDAPACHELOG", LogFormat.CombinedApacheLog),
        ("APACHEERRORLOG", LogFormat.ApacheErrorLog), ("SYSLOG", LogFormat.Syslog), ("RFC3339SYSLOG", LogFormat.Rfc3339Syslog),
    ];

    /// <summary>Reads <c>dataProcessingOptions</c> of the flow <paramref name="flow"/>; empty when absent.</summary>
    public static IReadOnlyList<DataProcessingOption> ReadAll(ConfigObject flow)
    {
        const string Key = "dataProcessingOptions";
        if (!flow.TryGet(Key, out var list))
        {
            return [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw flow.Error(Key, $"must be an array of processing options, found {ConfigObject.Describe(list)}");
        }

        var options = new List<DataProcessingOption>();
        var index = 0;
        foreach (var element in list.EnumerateArray())
        {
            options.Add(Read(element, flow.FileOf(Key), $"{flow.KeyPath(Key)}[{index++}]"));
        }

        return options;
    }

    private static DataProcessingOption Read(JsonElement element, string file, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new AgentConfigurationException(file, path, $"must be a JSON object with an optionName, found {ConfigObject.Describe(element)}");
        }

        var namePath = ConfigObject.Join(path, NameKey);
        var allowed = Allowed;
        if (!element.TryGetProperty(NameKey, out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            throw new AgentConfigurationException(file, namePath, $"is required and must be a string; {allowed}");
        }

        var name = nameElement.GetString()!;
        var known = Names.FirstOrDefault(n => n.Item1 == name);
        if (known.Item1 is null || known.Item2 is not null)
        {
            var why = known.Item2 is null ? $"'{name}' is not allowed" : $"'{name}' {known.Item2}";
            throw new AgentConfigurationException(file, namePath, $"{why}; {allowed}");
        }

        return name switch
        {
            "SINGLELINE" => SingleLine(ConfigObject.Open(element, file, path, SingleLineKeys)),
            "CSVTOJSON" => Csv(ConfigObject.Open(element, file, path, CsvKeys)),
            "LOGTOJSON" => Log(ConfigObject.Open(element, file, path, LogKeys)),
            "ADDBRACKETS" => Brackets(element, file, path),
            "ADDEC2METADATA" => Ec2Metadata(ConfigObject.Open(element, file, path, Ec2MetadataKeys)),
            _ => Metadata(ConfigObject.Open(element, file, path, MetadataKeys)),
        };
    }

    private static SingleLineOption SingleLine(ConfigObject o)
    {
        const string Key = "parseOptions";
        var noTrim = false;
        var escape = false;
        if (o.TryGet(Key, out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw o.Error(Key, $"must be an array of NO_TRIM and/or ESCAPE_NEW_LINE, found {ConfigObject.Describe(list)}");
            }

            foreach (var item in list.EnumerateArray())
            {
                switch (item.ValueKind == JsonValueKind.String ? item.GetString() : null)
                {
                    case "NO_TRIM": noTrim = true; break;
                    case "ESCAPE_NEW_LINE": escape = true; break;
                    default: throw o.Error(Key, $"{ConfigObject.Describe(item)} is not allowed; allowed: NO_TRIM, ESCAPE_NEW_LINE");
                }
            }
        }

        return new SingleLineOption { NoTrim = noTrim, EscapeNewLine = escape };
    }

    private static CsvToJsonOption Csv(ConfigObject o)
    {
        var names = o.DistinctNames("customFieldNames")
            ?? throw o.Error("customFieldNames", "is required for CSVTOJSON: a non-empty array of the JSON keys, one per column");
        var delimiter = o.OptionalString("delimiter") ?? CsvToJsonOption.DefaultDelimiter;
        if (delimiter.Length == 0)
        {
            throw o.Error("delimiter", "must not be empty; allowed: a string or Java regular expression such as \",\" or \"\\\\t\"");
        }

        try
        {
            _ = JavaSplitter.Create(delimiter);
        }
        catch (ArgumentException e)
        {
            throw o.Error("delimiter", $"'{delimiter}' is not a usable Java regular expression: {e.Message}", e);
        }

        return new CsvToJsonOption
        {
            CustomFieldNames = names,
            Delimiter = delimiter,
            JsonFormat = o.Enum("jsonFormat", JsonFormat.Compact, JsonFormats),
        };
    }

    private static LogToJsonOption Log(ConfigObject o)
    {
        if (!o.Has("logFormat"))
        {
            throw o.Error("logFormat", $"is required for LOGTOJSON; allowed: {string.Join(", ", LogFormats.Select(f => f.Item1))}");
        }

        var format = o.Enum("logFormat", LogFormat.CommonApacheLog, LogFormats);
        var pattern = FlowReader.Pattern(o, "matchPattern", JavaRegexAnchor.Full, emptyMeansNone: false);
        var names = o.DistinctNames("customFieldNames");
        if (pattern is not null)
        {
            var groups = JavaRegex.GroupCount(pattern);
            if (names is null)
            {
                throw o.Error("customFieldNames", $"is required with matchPattern: one JSON key per capture group ({groups})");
            }

            if (names.Count != groups)
            {
                throw o.Error("customFieldNames", $"has {names.Count} names but matchPattern has {groups} capture groups; they must be equal");
            }
        }
        else if (names is not null && names.Count != LogPatterns.FieldNames(format).Count)
        {
            var expected = LogPatterns.FieldNames(format);
            throw o.Error("customFieldNames",
                $"has {names.Count} names but {Name(format)} has {expected.Count} fields ({string.Join(", ", expected)}); rename all of them, or give a matchPattern");
        }

        return new LogToJsonOption
        {
            LogFormat = format,
            MatchPattern = pattern,
            CustomFieldNames = names,
            JsonFormat = o.Enum("jsonFormat", JsonFormat.Compact, JsonFormats),
        };
    }

    private static AddMetadataOption Metadata(ConfigObject o)
    {
        const string Key = "timestamp";
        var timestamp = false;
        if (o.TryGet(Key, out var value))
        {
            // The Java agent reads this one as a string ("true", any case); a JSON boolean is clearer and taken too.
            timestamp = value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when string.Equals(value.GetString(), "true", StringComparison.OrdinalIgnoreCase) => true,
                JsonValueKind.String when string.Equals(value.GetString(), "false", StringComparison.OrdinalIgnoreCase) => false,
                _ => throw o.Error(Key, $"must be true or false (or the strings \"true\"/\"false\"), found {ConfigObject.Describe(value)}"),
            };
        }

        return new AddMetadataOption
        {
            Metadata = o.TryGet("metadata", out var metadata) ? metadata.Clone() : null,
            Timestamp = timestamp,
            JsonFormat = o.Enum("jsonFormat", JsonFormat.Compact, JsonFormats),
        };
    }

    private static AddBracketsOption Brackets(JsonElement element, string file, string path)
    {
        _ = ConfigObject.Open(element, file, path, BracketsKeys); // refuses any key but optionName
        return new AddBracketsOption();
    }

    private static AddEc2MetadataOption Ec2Metadata(ConfigObject o)
    {
        // Checked as LOGTOJSON would check them, without effect (see Ec2MetadataKeys).
        o.Enum("logFormat", LogFormat.CommonApacheLog, LogFormats);
        FlowReader.Pattern(o, "matchPattern", JavaRegexAnchor.Full, emptyMeansNone: false);
        o.DistinctNames("customFieldNames");
        return new AddEc2MetadataOption
        {
            MetadataTtl = TimeSpan.FromSeconds(o.Int32("metadataTTL", (int)AddEc2MetadataOption.DefaultMetadataTtl.TotalSeconds, 1, 30 * 86_400)),
            JsonFormat = o.Enum("jsonFormat", JsonFormat.Compact, JsonFormats),
        };
    }

    private static string Name(LogFormat format) => LogFormats.First(f => f.Item2 == format).Item1;
}
