using System.Text.RegularExpressions;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// <c>LOGTOJSON</c>: matches the whole record against a log format's pattern and writes a JSON object with one
/// string (or <c>null</c>) per capture group. Apache formats turn a field that is just <c>-</c> into <c>null</c>.
/// </summary>
internal sealed class LogToJsonOption : DataProcessingOption
{
    /// <inheritdoc/>
    public override string OptionName => "LOGTOJSON";

    /// <summary><c>logFormat</c> (required): the predefined pattern and field names; with <see cref="MatchPattern"/>, only how <c>-</c> is treated.</summary>
    public required LogFormat LogFormat { get; init; }

    /// <summary>
    /// <c>matchPattern</c>: a Java regular expression replacing the format's pattern, translated to .NET and
    /// anchored so it must match the whole record (Java's <c>Matcher.matches</c>). Requires
    /// <see cref="CustomFieldNames"/> with one name per capture group. <value>Default: <see langword="null"/>
    /// (the format's own pattern).</value>
    /// </summary>
    public Regex? MatchPattern { get; init; }

    /// <summary>
    /// <c>customFieldNames</c>: the JSON keys in capture-group order. Without <see cref="MatchPattern"/> it renames
    /// the format's fields and must have as many names. <value>Default: <see langword="null"/> (the format's names).</value>
    /// </summary>
    public IReadOnlyList<string>? CustomFieldNames { get; init; }

    /// <summary><c>jsonFormat</c>. <value>Default: <see cref="JsonFormat.Compact"/>.</value></summary>
    public JsonFormat JsonFormat { get; init; } = JsonFormat.Compact;
}
