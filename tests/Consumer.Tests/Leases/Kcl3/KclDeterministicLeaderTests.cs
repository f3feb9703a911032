using CsCheck;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Leases.Kcl3;

namespace Kinesis.Clients.Consumer.Tests.Leases.Kcl3;

/// <summary>
/// Expected orders were printed by OpenJDK 17.0.15 running the KCL's election: distinct non-null owners,
/// <c>sorted()</c>, <c>Collections.shuffle(owners, new Random(1947))</c>.
/// </summary>
public sealed class KclDeterministicLeaderTests
{
    [Theory]
    [InlineData("worker-1", "worker-1")]
    [InlineData("worker-1,worker-2", "worker-1,worker-2")]
    [InlineData("worker-1,worker-2,worker-3", "worker-3,worker-1,worker-2")]
    [InlineData("worker-3,,worker-1,worker-2,worker-1,", "worker-3,worker-1,worker-2")] // empty = no owner
    [InlineData("a,b,c,d,e,f,g,h,i,j", "i,f,b,g,j,e,c,a,h,d")]
    // Java sorts by UTF-16 code unit: upper case before lower, and an astral character (a surrogate pair, 0xD83D...)
    // before U+FFFD although its code point is higher.
    [InlineData("Zeta,alpha,Alpha,_x,\u00e9t\u00e9,\uFFFD,\uD83D\uDE00", "_x,\u00e9t\u00e9,alpha,\uD83D\uDE00,Alpha,\uFFFD,Zeta")]
    public void The_owners_are_ordered_as_the_KCL_orders_them(string owners, string expected)
    {
        var all = owners.Split(',').Select(o => o.Length == 0 ? null : o).ToList();

        var order = KclDeterministicLeader.Elect(all, leaderCount: all.Count);

        Assert.Equal(expected.Split(','), order);
        Assert.Equal([expected.Split(',')[0]], KclDeterministicLeader.Elect(all));
    }

    [Fact]
    public void Forty_hosts_elect_the_host_the_KCL_elects()
    {
        var hosts = Enumerable.Range(0, 40).Select(i => $"ip-10-0-{i % 7}-{100 + i}.ec2.internal").ToList();

        var leaders = KclDeterministicLeader.Elect(hosts, leaderCount: 3);

        Assert.Equal(["ip-10-0-3-103.ec2.internal", "ip-10-0-1-122.ec2.internal", "ip-10-0-4-125.ec2.internal"], leaders);
    }

    [Fact]
    public void Without_owners_there_is_no_leader()
    {
        Assert.Empty(KclDeterministicLeader.Elect([null, null]));
        Assert.Empty(KclDeterministicLeader.Elect([]));
    }

    [Fact]
    public void A_worker_is_leader_when_the_owners_of_the_leases_elect_it()
    {
        Lease Owned(string key, string? owner) => new() { LeaseKey = key, LeaseOwner = owner };
        Lease[] leases = [Owned("s0", "worker-1"), Owned("s1", "worker-2"), Owned("s2", "worker-3"), Owned("s3", null)];

        Assert.True(KclDeterministicLeader.IsLeader(leases, "worker-3"));
        Assert.False(KclDeterministicLeader.IsLeader(leases, "worker-1"));
        Assert.False(KclDeterministicLeader.IsLeader(leases, "worker-9"));
    }

    [Fact]
    public void Every_worker_that_sees_the_same_owners_elects_the_same_leaders()
    {
        // Workers list the table in whatever order the scan returns, each owner once per lease it holds.
        var owner = Gen.Int[0, 12].Select(i => i == 0 ? null : $"worker-{i}");
        var listings = Gen.Select(owner.Array[1, 30], Gen.Int, (owners, seed) => (owners, seed));

        SeededCheck.ForAll(listings, c =>
        {
            var reordered = c.owners.Concat(c.owners).ToArray();
            new Random(c.seed).Shuffle(reordered);

            Assert.Equal(
                KclDeterministicLeader.Elect(c.owners, leaderCount: 3),
                KclDeterministicLeader.Elect(reordered, leaderCount: 3));
        });
    }

    [Fact]
    public void A_leader_count_that_is_not_positive_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => KclDeterministicLeader.Elect(["worker-1"], 0));

        Assert.Equal("leaderCount", error.ParamName);
    }
}
