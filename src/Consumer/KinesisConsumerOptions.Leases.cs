using Amazon.DynamoDBv2;

namespace Kinesis.Clients.Consumer;

/// <summary>The lease table and the clients, with the names and defaults of the KCL's LeaseManagementConfig and ConfigsBuilder.</summary>
public sealed partial class KinesisConsumerOptions
{
    /// <summary>
    /// The stream to consume by ARN, instead of (or as well as) <see cref="StreamName"/>; requests then name the
    /// stream by ARN, as the KCL does with a stream ARN. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public string? StreamArn { get; set; }

    /// <summary>
    /// The lease table (the KCL's <c>tableName</c>). <value>Default: <see langword="null"/>, the
    /// <see cref="ApplicationName"/>, as in the KCL.</value>
    /// </summary>
    public string? LeaseTableName { get; set; }

    /// <summary>
    /// How a new lease table is billed (the KCL's <c>billingMode</c>); an existing table is left as it is.
    /// <value>Default: <see cref="BillingMode.PAY_PER_REQUEST"/>, as in the KCL.</value>
    /// </summary>
    public BillingMode BillingMode { get; set; } = BillingMode.PAY_PER_REQUEST;

    /// <summary>Read capacity of a new <see cref="BillingMode.PROVISIONED"/> lease table. <value>Default: 10, as in the KCL.</value></summary>
    public int InitialLeaseTableReadCapacity { get; set; } = 10;

    /// <summary>Write capacity of a new <see cref="BillingMode.PROVISIONED"/> lease table. <value>Default: 10, as in the KCL.</value></summary>
    public int InitialLeaseTableWriteCapacity { get; set; } = 10;

    /// <summary>Whether a new lease table gets deletion protection. <value>Default: <see langword="false"/>, as in the KCL.</value></summary>
    public bool LeaseTableDeletionProtectionEnabled { get; set; }

    /// <summary>Tags for a new lease table (the KCL's <c>tags</c>). <value>Default: none.</value></summary>
    public IDictionary<string, string> LeaseTableTags { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Most leases this worker holds. <value>Default: <see cref="int.MaxValue"/>, as in the KCL.</value></summary>
    public int MaxLeasesForWorker { get; set; } = int.MaxValue;

    /// <summary>Most leases taken from another worker in one take round, for balance. <value>Default: 1, as in the KCL.</value></summary>
    public int MaxLeasesToStealAtOneTime { get; set; } = 1;

    /// <summary>
    /// A DynamoDB client of your own for the lease table (from dependency injection, with your retry and HTTP
    /// settings); not disposed by the consumer. <see cref="DynamoDbEndpoint"/>, <see cref="Region"/> and
    /// <see cref="Credentials"/> do not apply to it. <value>Default: <see langword="null"/>, one built from those.</value>
    /// </summary>
    public IAmazonDynamoDB? DynamoDbClient { get; set; }

    /// <summary>
    /// A Kinesis client of your own; not disposed by the consumer. <see cref="KinesisEndpoint"/>,
    /// <see cref="Region"/> and <see cref="Credentials"/> do not apply to it.
    /// <value>Default: <see langword="null"/>, one built from those.</value>
    /// </summary>
    public KinesisClient? KinesisClient { get; set; }

    /// <summary>
    /// How often a running worker re-reads the client version of a KCL 3.x fleet on the table: the KCL's
    /// <see cref="Leases.KclFleetMode.MonitorInterval"/> (a constant there, so no public option here); tests shorten it.
    /// </summary>
    internal TimeSpan ClientVersionMonitorInterval { get; set; } = Leases.KclFleetMode.MonitorInterval;

    internal string EffectiveLeaseTableName => LeaseTableName ?? ApplicationName;

    /// <summary>The stream's name for logs and metrics: <see cref="StreamName"/>, or the name inside the ARN.</summary>
    internal string StreamLabel => IsMultiStream ? MultiStreamLabel : StreamName.Length > 0 ? StreamName : StreamNameOf(StreamArn!);

    private static string StreamNameOf(string arn) => arn[(arn.IndexOf(":stream/", StringComparison.Ordinal) + ":stream/".Length)..];

    private void ValidateStreamAndLeases()
    {
        if (IsMultiStream)
        {
            ValidateStreams();
        }
        else if (StreamArn is null)
        {
            Kinesis.Clients.Records.RecordValidation.ValidateStreamName(StreamName, nameof(StreamName));
        }
        else
        {
            Kinesis.Clients.Records.RecordValidation.ValidateStreamArn(StreamArn, nameof(StreamArn));
            if (StreamName.Length > 0 && StreamName != StreamNameOf(StreamArn))
            {
                throw new ArgumentException(
                    $"StreamArn names stream '{StreamNameOf(StreamArn)}' but StreamName is '{StreamName}'; set one, or both for the same stream.",
                    nameof(StreamArn));
            }

            var region = StreamArn.Split(':')[3];
            if (KinesisClient is null && Region is { Length: > 0 } configured && configured != region)
            {
                throw new ArgumentException(
                    $"StreamArn is in region {region} but Region is {configured}; the KCL refuses such a stream too.", nameof(StreamArn));
            }
        }

        if (LeaseTableName is not null &&
            (LeaseTableName.Length is < 3 or > 255 || !LeaseTableName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')))
        {
            throw new ArgumentException(
                $"LeaseTableName must be a DynamoDB table name, 3 to 255 characters of a-z, A-Z, 0-9, '_', '.', '-'; got '{LeaseTableName}'.",
                nameof(LeaseTableName));
        }

        if (BillingMode != BillingMode.PAY_PER_REQUEST && BillingMode != BillingMode.PROVISIONED)
        {
            throw new ArgumentException($"BillingMode must be PAY_PER_REQUEST or PROVISIONED; got '{BillingMode?.Value}'.", nameof(BillingMode));
        }

        if (BillingMode == BillingMode.PROVISIONED)
        {
            // DynamoDB's own bounds for one table's capacity units.
            Capacity(InitialLeaseTableReadCapacity, nameof(InitialLeaseTableReadCapacity));
            Capacity(InitialLeaseTableWriteCapacity, nameof(InitialLeaseTableWriteCapacity));
        }

        foreach (var (key, value) in LeaseTableTags)
        {
            if (key.Length is < 1 or > 128 || value.Length > 256 || key.StartsWith("aws:", StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    $"LeaseTableTags: a tag key is 1 to 128 characters not starting with 'aws:', a value at most 256; got '{key}'='{value}'.",
                    nameof(LeaseTableTags));
            }
        }

        if (MaxLeasesForWorker < 1)
        {
            throw new ArgumentException($"MaxLeasesForWorker must be at least 1; got {MaxLeasesForWorker}.", nameof(MaxLeasesForWorker));
        }

        if (MaxLeasesToStealAtOneTime < 1)
        {
            throw new ArgumentException(
                $"MaxLeasesToStealAtOneTime must be at least 1; got {MaxLeasesToStealAtOneTime}.", nameof(MaxLeasesToStealAtOneTime));
        }
    }

    private static void Capacity(int value, string name)
    {
        if (value is < 1 or > 40_000)
        {
            throw new ArgumentException(
                $"{name} must be 1 to 40,000 capacity units for a PROVISIONED lease table; got {value}.", name);
        }
    }
}
