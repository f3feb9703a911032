namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// <c>SINGLELINE</c>: joins the lines of a multi-line record into one, after removing each line's leading and
/// trailing whitespace (every character up to U+0020, as Java's <c>String.trim</c>).
/// </summary>
internal sealed class SingleLineOption : DataProcessingOption
{
    /// <inheritdoc/>
    public override string OptionName => "SINGLELINE";

    /// <summary><c>parseOptions</c> contains <c>NO_TRIM</c>: keep each line's leading and trailing whitespace. <value>Default: <see langword="false"/>.</value></summary>
    public bool NoTrim { get; init; }

    /// <summary>
    /// <c>parseOptions</c> contains <c>ESCAPE_NEW_LINE</c>: join the lines with the two characters <c>\n</c>
    /// instead of nothing, so the line breaks can be restored. <value>Default: <see langword="false"/>.</value>
    /// </summary>
    public bool EscapeNewLine { get; init; }
}
