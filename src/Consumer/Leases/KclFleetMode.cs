namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// Which lease protocol a KCL 3.x fleet on the table speaks, from its migration state row (<c>Migration3.0</c>,
/// attribute <c>cv</c>): kept in the lease table itself from KCL 3.5 (single-table mode), in
/// <c>{application}-CoordinatorState</c> (hash key <c>key</c>) before.
/// </summary>
internal static class KclFleetMode
{
    public const string MigrationKey = "Migration3.0";
    public const string ClientVersionAttribute = "cv";
    public const string CoordinatorStateKeyAttribute = "key";

    /// <summary>The KCL 3.x default coordinator state table of an application (3.0-3.4).</summary>
    public static string CoordinatorStateTableName(string applicationName) => applicationName + "-CoordinatorState";

    /// <summary>
    /// Whether the fleet assigns leases through a leader by worker load (<c>CLIENT_VERSION_3X_WITH_ROLLBACK</c>,
    /// <c>CLIENT_VERSION_3X</c>) rather than each worker taking leases as KCL 2.x does (<c>CLIENT_VERSION_2X</c>,
    /// <c>CLIENT_VERSION_UPGRADE_FROM_2X</c>, <c>CLIENT_VERSION_INIT</c>, or no migration row at all).
    /// </summary>
    public static bool AssignsByLeader(string? clientVersion) =>
        clientVersion is "CLIENT_VERSION_3X_WITH_ROLLBACK" or "CLIENT_VERSION_3X";

    /// <summary>Refuses to join a fleet in KCL 3.x mode, before this worker writes anything.</summary>
    /// <exception cref="InvalidOperationException">The fleet assigns leases by leader.</exception>
    public static void EnsureCanJoin(string leaseTable, FleetClientVersion? found)
    {
        if (found is { } version && AssignsByLeader(version.ClientVersion))
        {
            throw new InvalidOperationException(
                $"Lease table {leaseTable} belongs to a KCL 3.x fleet that assigns leases through its leader " +
                $"({MigrationKey} in table {version.Table} has {ClientVersionAttribute} = {version.ClientVersion}). This worker takes " +
                "leases as KCL 2.x workers do and would fight that leader, so it does not join. Either roll the fleet back " +
                "to CLIENT_VERSION_2X with the KCL's migration tool (KclMigrationTool.py --mode rollback) and run the " +
                "Java workers in their 2.x-compatible mode, or give this worker its own lease table (LeaseTableName).");
        }
    }
}

/// <summary>A fleet's client version and the table its migration row was found in.</summary>
internal readonly record struct FleetClientVersion(string ClientVersion, string Table);
