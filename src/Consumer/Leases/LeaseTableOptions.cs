namespace Kinesis.Clients.Consumer.Leases;

/// <summary>How <see cref="DynamoDbLeaseStore"/> creates and reads its table.</summary>
internal sealed class LeaseTableOptions
{
    /// <summary>The table name: the application name, as in the KCL. <value>Required.</value></summary>
    public required string TableName { get; init; }

    /// <summary>
    /// Read capacity for a provisioned table; with <see cref="WriteCapacityUnits"/> set too, the table is created
    /// PROVISIONED. <value>Default: <see langword="null"/> (PAY_PER_REQUEST, the KCL's default).</value>
    /// </summary>
    public long? ReadCapacityUnits { get; init; }

    /// <summary>Write capacity for a provisioned table. <value>Default: <see langword="null"/>.</value></summary>
    public long? WriteCapacityUnits { get; init; }

    /// <summary>Whether a new table is created with deletion protection. <value>Default: <see langword="false"/> (the KCL's).</value></summary>
    public bool DeletionProtectionEnabled { get; init; }

    /// <summary>Tags for a new table. <value>Default: none.</value></summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>How long table creation may take before it fails. <value>Default: 10 minutes (the KCL's).</value></summary>
    public TimeSpan TableActiveTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often a new table's status is polled. <value>Default: 1 s.</value></summary>
    public TimeSpan TableActivePollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Most items per Scan page; <see langword="null"/> lets DynamoDB fill 1 MB pages.
    /// <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public int? ScanPageSize { get; init; }

    /// <summary>
    /// The KCL 3.0-3.4 coordinator state table to look in for the fleet's client version when the lease table has
    /// no migration row; <see langword="null"/> looks only in the lease table. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public string? CoordinatorStateTableName { get; init; }

    /// <summary>Clock for the table polling delays. <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        // DynamoDB's own rule: 3-255 of a-z A-Z 0-9 _ - .
        if (TableName is not { Length: >= 3 and <= 255 } ||
            !TableName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException(
                $"TableName must be 3-255 characters of a-z, A-Z, 0-9, '_', '-' and '.'; got '{TableName}'.", nameof(TableName));
        }

        if ((ReadCapacityUnits is null) != (WriteCapacityUnits is null))
        {
            throw new ArgumentException(
                "ReadCapacityUnits and WriteCapacityUnits go together: set both for a provisioned table, or neither for on-demand.",
                ReadCapacityUnits is null ? nameof(ReadCapacityUnits) : nameof(WriteCapacityUnits));
        }

        if (ReadCapacityUnits is <= 0)
        {
            throw new ArgumentException($"ReadCapacityUnits must be at least 1; got {ReadCapacityUnits}.", nameof(ReadCapacityUnits));
        }

        if (WriteCapacityUnits is <= 0)
        {
            throw new ArgumentException($"WriteCapacityUnits must be at least 1; got {WriteCapacityUnits}.", nameof(WriteCapacityUnits));
        }

        Positive(TableActiveTimeout, nameof(TableActiveTimeout));
        Positive(TableActivePollInterval, nameof(TableActivePollInterval));
        if (ScanPageSize is <= 0)
        {
            throw new ArgumentException($"ScanPageSize must be at least 1; got {ScanPageSize}.", nameof(ScanPageSize));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{name} must be a positive, finite time; got {value}.", name);
        }
    }
}
