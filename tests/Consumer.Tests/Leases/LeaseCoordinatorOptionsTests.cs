using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

public sealed class LeaseCoordinatorOptionsTests
{
    private static string RejectedOption(Action<LeaseCoordinatorOptions> configure, string workerId = "worker")
    {
        var options = new LeaseCoordinatorOptions { WorkerId = workerId };
        configure(options);
        var error = Assert.Throws<ArgumentException>(() => new LeaseCoordinator(new InMemoryLeaseStore(), options));
        return error.ParamName!;
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_worker_id_is_required(string workerId) => Assert.Equal("WorkerId", RejectedOption(_ => { }, workerId));

    [Fact]
    public void The_failover_time_must_leave_room_for_renewals() =>
        Assert.Equal("FailoverTime", RejectedOption(o => o.FailoverTime = TimeSpan.FromMilliseconds(100)));

    [Theory]
    [InlineData(5_001)]
    [InlineData(10_000)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Renewals_must_come_at_most_every_half_failover_time(int renewalMs) =>
        Assert.Equal("RenewalInterval", RejectedOption(o => o.RenewalInterval = TimeSpan.FromMilliseconds(renewalMs)));

    [Fact]
    public void A_renewal_interval_of_exactly_half_the_failover_time_is_accepted()
    {
        var options = new LeaseCoordinatorOptions { WorkerId = "w", RenewalInterval = TimeSpan.FromSeconds(5) };

        Assert.Equal(TimeSpan.FromSeconds(5), new LeaseCoordinator(new InMemoryLeaseStore(), options).RenewalInterval);
    }

    [Fact]
    public void The_defaults_follow_the_failover_time()
    {
        var coordinator = new LeaseCoordinator(
            new InMemoryLeaseStore(), new LeaseCoordinatorOptions { WorkerId = "w", FailoverTime = TimeSpan.FromSeconds(30) });

        Assert.Equal(TimeSpan.FromMilliseconds(9_975), coordinator.RenewalInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(60_050), coordinator.TakeInterval);
    }

    [Fact]
    public void Counts_must_be_sensible()
    {
        Assert.Equal("TakeInterval", RejectedOption(o => o.TakeInterval = TimeSpan.Zero));
        Assert.Equal("MaxLeasesForWorker", RejectedOption(o => o.MaxLeasesForWorker = 0));
        Assert.Equal("MaxLeasesToStealAtOneTime", RejectedOption(o => o.MaxLeasesToStealAtOneTime = 0));
        Assert.Equal("VeryOldLeaseMultiplier", RejectedOption(o => o.VeryOldLeaseMultiplier = -1));
        Assert.Equal("MaxConcurrentRenewals", RejectedOption(o => o.MaxConcurrentRenewals = 0));
    }
}
