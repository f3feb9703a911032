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

    /// <summary>
    /// How often a running worker re-reads <c>cv</c>: the KCL's <c>ClientVersionChangeMonitor</c> interval (one minute,
    /// a constant there, not an option). The KCL adds up to 10 % random jitter only to stagger its workers' reads.
    /// </summary>
    public static readonly TimeSpan MonitorInterval = TimeSpan.FromMinutes(1);

    /// <summary>The KCL 3.x default coordinator state table of an application (3.0-3.4).</summary>
    public static string CoordinatorStateTableName(string applicationName) => applicationName + "-CoordinatorState";

    /// <summary>
    /// Whether the fleet assigns leases through a leader by worker load (<c>CLIENT_VERSION_3X_WITH_ROLLBACK</c>,
    /// <c>CLIENT_VERSION_3X</c>) rather than each worker taking leases as KCL 2.x does (<c>CLIENT_VERSION_2X</c>,
    /// <c>CLIENT_VERSION_UPGRADE_FROM_2X</c>, <c>CLIENT_VERSION_INIT</c>, or no migration row at all).
    /// </summary>
    public static bool AssignsByLeader(string? clientVersion) =>
        clientVersion is "CLIENT_VERSION_3X_WITH_ROLLBACK" or "CLIENT_VERSION_3X";

    /// <summary>
    /// What a worker that takes leases as KCL 2.x does should do with the migration row it found: keep going, or leave the
    /// table to the fleet's leader. A row that is gone again (deleted by hand) is no reason to leave.
    /// </summary>
    public static FleetModeDecision Decide(FleetClientVersion? found) =>
        found is { } version && AssignsByLeader(version.ClientVersion) ? FleetModeDecision.Leave : FleetModeDecision.KeepGoing;

    /// <summary>Refuses to join a fleet in KCL 3.x mode, before this worker writes anything.</summary>
    /// <exception cref="InvalidOperationException">The fleet assigns leases by leader.</exception>
    public static void EnsureCanJoin(string leaseTable, FleetClientVersion? found)
    {
        if (Decide(found) == FleetModeDecision.Leave)
        {
            var version = found!.Value;
            throw new InvalidOperationException(
                $"Lease table {leaseTable} belongs to a KCL 3.x fleet that assigns leases through its leader " +
                $"({MigrationKey} in table {version.Table} has {ClientVersionAttribute} = {version.ClientVersion}). This worker takes " +
                "leases as KCL 2.x workers do and would fight that leader, so it does not join. Either roll the fleet back " +
                "to CLIENT_VERSION_2X with the KCL's migration tool (KclMigrationTool.py --mode rollback) and run the " +
                "Java workers in their 2.x-compatible mode, or give this worker its own lease table (LeaseTableName).");
        }
    }

    /// <summary>The error a running worker ends with once the fleet has switched to the leader protocol.</summary>
    public static InvalidOperationException Left(string leaseTable, FleetClientVersion found) => new(
        $"Lease table {leaseTable}: the KCL fleet sharing it switched to KCL 3.x's leader-based lease assignment " +
        $"({MigrationKey} in table {found.Table} now has {ClientVersionAttribute} = {found.ClientVersion}). This worker takes " +
        "leases as KCL 2.x workers do and would fight that leader, so it stopped taking leases, let its processors " +
        "checkpoint, released its leases for the leader to assign and left. Either run the Java KCL workers with " +
        "CLIENT_VERSION_CONFIG_COMPATIBLE_WITH_2X, with the fleet back at a 2.x-compatible client version (a Java worker " +
        "left at the default CLIENT_VERSION_CONFIG_3X writes CLIENT_VERSION_3X as it starts on a table without that row), " +
        "or remove the .NET workers from this application.");
}

/// <summary>What a 2.x-style worker does about the fleet's client version.</summary>
internal enum FleetModeDecision
{
    /// <summary>The fleet takes leases as KCL 2.x does (or has no migration row): carry on.</summary>
    KeepGoing,

    /// <summary>The fleet assigns leases through a leader: stop taking, checkpoint, release and end.</summary>
    Leave,
}

/// <summary>A fleet's client version and the table its migration row was found in.</summary>
internal readonly record struct FleetClientVersion(string ClientVersion, string Table);
