namespace Kinesis.Clients.Consumer.Leases.Kcl3;

/// <summary>
/// The leader KCL 3.x workers agree on without a lock in their 2.x-compatible client versions
/// (<c>CLIENT_VERSION_UPGRADE_FROM_2X</c>, <c>CLIENT_VERSION_2X</c>): the KCL's
/// <c>DeterministicShuffleShardSyncLeaderDecider</c>. It runs the shard sync and, in the upgrade version, the check
/// that flips the fleet to <c>CLIENT_VERSION_3X_WITH_ROLLBACK</c>, so a .NET worker the Java workers elect must know
/// it. Pure.
/// </summary>
/// <remarks>
/// Every worker lists the leases, takes the distinct owners, sorts them as Java sorts strings (by UTF-16 code unit,
/// which is <see cref="StringComparer.Ordinal"/>), shuffles them with <c>new Random(1947)</c> and takes the first
/// ones. Workers that see the same owners elect the same leaders.
/// </remarks>
internal static class KclDeterministicLeader
{
    /// <summary>The KCL's <c>DETERMINISTIC_SHUFFLE_SEED</c>.</summary>
    public const long Seed = 1947;

    /// <summary>The KCL's number of leaders (<c>PERIODIC_SHARD_SYNC_MAX_WORKERS_DEFAULT</c>).</summary>
    public const int DefaultLeaderCount = 1;

    /// <summary>The leaders among the owners of the leases (absent owners are ignored), in the KCL's order.</summary>
    /// <param name="leaseOwners">The <c>leaseOwner</c> of every lease in the table, duplicates and absent ones included.</param>
    /// <param name="leaderCount">How many leaders; fewer when there are fewer owners.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="leaderCount"/> is not positive.</exception>
    public static IReadOnlyList<string> Elect(IEnumerable<string?> leaseOwners, int leaderCount = DefaultLeaderCount)
    {
        ArgumentNullException.ThrowIfNull(leaseOwners);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(leaderCount);
        var owners = leaseOwners.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        new JavaRandom(Seed).Shuffle(owners);
        return owners.Count > leaderCount ? owners.GetRange(0, leaderCount) : owners;
    }

    /// <summary>Whether <paramref name="workerId"/> is a leader for the owners of these leases.</summary>
    public static bool IsLeader(IEnumerable<Lease> leases, string workerId, int leaderCount = DefaultLeaderCount)
    {
        ArgumentNullException.ThrowIfNull(leases);
        return Elect(leases.Select(lease => lease.LeaseOwner), leaderCount).Contains(workerId, StringComparer.Ordinal);
    }
}
