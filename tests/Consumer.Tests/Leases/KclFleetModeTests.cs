using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>What a worker that takes leases as KCL 2.x does makes of each client version a KCL fleet records (<c>Migration3.0.cv</c>).</summary>
public sealed class KclFleetModeTests
{
    [Theory]
    [InlineData(null, false)] // no migration row: a KCL 2.x or .NET-only table
    [InlineData("CLIENT_VERSION_INIT", false)]
    [InlineData("CLIENT_VERSION_2X", false)]
    [InlineData("CLIENT_VERSION_UPGRADE_FROM_2X", false)]
    [InlineData("CLIENT_VERSION_3X_WITH_ROLLBACK", true)]
    [InlineData("CLIENT_VERSION_3X", true)]
    [InlineData("client_version_3x", false)] // the KCL's enum names are exact: not a version it writes
    [InlineData("", false)]
    public void Each_client_version_keeps_the_worker_going_or_makes_it_leave(string? clientVersion, bool leaves)
    {
        FleetClientVersion? found = clientVersion is null ? null : new FleetClientVersion(clientVersion, "orders-app");

        Assert.Equal(leaves ? FleetModeDecision.Leave : FleetModeDecision.KeepGoing, KclFleetMode.Decide(found));
    }

    [Theory]
    [InlineData("CLIENT_VERSION_3X", "orders-app")]
    [InlineData("CLIENT_VERSION_3X_WITH_ROLLBACK", "orders-app-CoordinatorState")]
    public void Joining_and_leaving_name_the_table_the_row_and_what_to_do(string clientVersion, string rowTable)
    {
        var found = new FleetClientVersion(clientVersion, rowTable);

        var refused = Assert.Throws<InvalidOperationException>(() => KclFleetMode.EnsureCanJoin("orders-app", found));
        var left = KclFleetMode.Left("orders-app", found);

        foreach (var message in new[] { refused.Message, left.Message })
        {
            Assert.StartsWith("Lease table orders-app", message, StringComparison.Ordinal);
            Assert.Contains($"Migration3.0 in table {rowTable} ", message, StringComparison.Ordinal);
            Assert.Contains($"cv = {clientVersion})", message, StringComparison.Ordinal);
        }

        Assert.Contains("CLIENT_VERSION_CONFIG_COMPATIBLE_WITH_2X", left.Message, StringComparison.Ordinal);
        Assert.Contains("remove the .NET workers", left.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("CLIENT_VERSION_2X")]
    [InlineData("CLIENT_VERSION_UPGRADE_FROM_2X")]
    public void A_fleet_that_takes_leases_as_KCL_2_x_does_is_joined(string? clientVersion) =>
        KclFleetMode.EnsureCanJoin("orders-app", clientVersion is null ? null : new FleetClientVersion(clientVersion, "orders-app"));

    [Fact]
    public void The_client_version_is_watched_at_the_KCL_monitor_interval() =>
        Assert.Equal(TimeSpan.FromMinutes(1), new KinesisConsumerOptions().ClientVersionMonitorInterval);
}
