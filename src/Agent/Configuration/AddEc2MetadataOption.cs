namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// <c>ADDEC2METADATA</c>: adds the instance's identity (<c>privateIp</c>, <c>availabilityZone</c>, <c>instanceId</c>,
/// <c>instanceType</c>, <c>accountId</c>, <c>amiId</c>, <c>region</c>, <c>metadataTimestamp</c>) to a record that is a
/// JSON object, read from the instance metadata service (IMDSv2) and refreshed every <see cref="MetadataTtl"/>.
/// </summary>
internal sealed class AddEc2MetadataOption : DataProcessingOption
{
    /// <summary>The Java agent's refresh interval: one hour.</summary>
    public static readonly TimeSpan DefaultMetadataTtl = TimeSpan.FromHours(1);

    /// <inheritdoc/>
    public override string OptionName => "ADDEC2METADATA";

    /// <summary><c>metadataTTL</c> (seconds): how often the identity is read again. <value>Default: 1 hour.</value></summary>
    public TimeSpan MetadataTtl { get; init; } = DefaultMetadataTtl;

    /// <summary><c>jsonFormat</c>. <value>Default: <see cref="JsonFormat.Compact"/>.</value></summary>
    public JsonFormat JsonFormat { get; init; } = JsonFormat.Compact;
}
