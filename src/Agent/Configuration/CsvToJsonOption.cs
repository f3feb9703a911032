namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// <c>CSVTOJSON</c>: splits the record on <see cref="Delimiter"/> and writes a JSON object with one string per
/// field name, in order; missing columns are <c>null</c>, extra columns are dropped. No quoting: a delimiter
/// inside quotes still splits, as in the Java agent.
/// </summary>
internal sealed class CsvToJsonOption : DataProcessingOption
{
    /// <summary>The default <see cref="Delimiter"/>: a comma.</summary>
    public const string DefaultDelimiter = ",";

    /// <inheritdoc/>
    public override string OptionName => "CSVTOJSON";

    /// <summary><c>customFieldNames</c> (required, non-empty, distinct): the JSON keys, one per column.</summary>
    public required IReadOnlyList<string> CustomFieldNames { get; init; }

    /// <summary>
    /// <c>delimiter</c>: a Java regular expression, as the Java agent hands it to <c>String.split</c>; a single
    /// character other than <c>.$|()[{^?*+\</c>, or a backslash and a non-alphanumeric character, is literal.
    /// <value>Default: <c>","</c>.</value>
    /// </summary>
    public string Delimiter { get; init; } = DefaultDelimiter;

    /// <summary><c>jsonFormat</c>. <value>Default: <see cref="JsonFormat.Compact"/>.</value></summary>
    public JsonFormat JsonFormat { get; init; } = JsonFormat.Compact;
}
