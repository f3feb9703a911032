namespace Kinesis.Clients.Testing.Tests.Resources;

/// <summary>The shard budget: waits while full, serves waiters in order, names the holders when a wait times out.</summary>
public sealed class ShardBudgetTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 30_000)]
    public async Task A_request_that_does_not_fit_waits_until_enough_is_released()
    {
        var budget = new ShardBudget(10, TestTimeout);
        await budget.AcquireAsync("a", 6);
        await budget.AcquireAsync("b", 4);

        var c = budget.AcquireAsync("c", 5);
        Assert.Equal(1, budget.Waiting);
        budget.Release("b");
        Assert.Equal(1, budget.Waiting);
        Assert.False(c.IsCompleted);
        budget.Release("a");

        await c.WaitAsync(TestTimeout);
        Assert.Equal(new Dictionary<string, int> { ["c"] = 5 }, budget.Held);
    }

    [Fact(Timeout = 30_000)]
    public async Task Waiters_are_served_in_arrival_order_so_a_large_one_is_not_starved()
    {
        var budget = new ShardBudget(10, TestTimeout);
        await budget.AcquireAsync("a", 8);
        var large = budget.AcquireAsync("large", 10);
        var small = budget.AcquireAsync("small", 1);
        Assert.Equal(2, budget.Waiting);

        // One shard is free, but the large request came first.
        Assert.False(small.IsCompleted);
        budget.Release("a");
        await large.WaitAsync(TestTimeout);
        Assert.False(small.IsCompleted);
        budget.Release("large");
        await small.WaitAsync(TestTimeout);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_wait_that_times_out_names_who_holds_the_shards_and_leaves_the_budget_as_it_was()
    {
        var budget = new ShardBudget(4, TimeSpan.FromMilliseconds(200));
        await budget.AcquireAsync("holder-1", 3);

        var error = await Assert.ThrowsAsync<TimeoutException>(() => budget.AcquireAsync("late", 2)).WaitAsync(TestTimeout);

        Assert.Contains("holder-1 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("late", error.Message, StringComparison.Ordinal);
        await budget.AcquireAsync("fits", 1).WaitAsync(TestTimeout);
        Assert.Equal(new Dictionary<string, int> { ["holder-1"] = 3, ["fits"] = 1 }, budget.Held);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public async Task More_shards_than_the_whole_budget_or_none_is_refused_at_once(int shards)
    {
        var budget = new ShardBudget(10, TestTimeout);

        var error = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => budget.AcquireAsync("s", shards)).WaitAsync(TestTimeout);

        Assert.Contains(ShardBudget.LimitVariable, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shared_budget_is_LocalStacks_default_shard_limit_unless_configured()
    {
        var configured = Environment.GetEnvironmentVariable(ShardBudget.LimitVariable);
        Assert.Equal(string.IsNullOrEmpty(configured) ? 100 : int.Parse(configured, System.Globalization.CultureInfo.InvariantCulture), ShardBudget.Shared.Limit);
    }
}
