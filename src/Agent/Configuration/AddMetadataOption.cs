using System.Text.Json;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// <c>ADDMETADATA</c>: wraps the record as <c>{"ts":...,"metadata":...,"data":"record"}</c>; <c>ts</c> only when
/// <see cref="Timestamp"/> is set.
/// </summary>
internal sealed class AddMetadataOption : DataProcessingOption
{
    /// <inheritdoc/>
    public override string OptionName => "ADDMETADATA";

    /// <summary>
    /// <c>metadata</c>: any JSON value (usually an object), copied into every record. A detached copy, safe to
    /// keep. <value>Default: absent, written as <c>"metadata":null</c> like the Java agent.</value>
    /// </summary>
    public JsonElement? Metadata { get; init; }

    /// <summary>
    /// <c>timestamp</c>: add <c>"ts"</c>, the UTC time of processing as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>. The Java
    /// agent reads it as a string (<c>"true"</c>, any case); we also take a JSON boolean.
    /// <value>Default: <see langword="false"/>.</value>
    /// </summary>
    public bool Timestamp { get; init; }

    /// <summary><c>jsonFormat</c>. <value>Default: <see cref="JsonFormat.Compact"/>.</value></summary>
    public JsonFormat JsonFormat { get; init; } = JsonFormat.Compact;
}
