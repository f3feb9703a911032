using Kinesis.Clients.Consumer.Failures;

namespace Kinesis.Clients.Consumer.Tests.Failures;

/// <summary>The decision after a failed processor call: attempt number, batch size and error in, step and wait out.</summary>
public sealed class FailurePolicyTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

    [Theory]
    // action,                        retries, bisect, attempt, records, step,                      wait (ms)
    [InlineData(FailedBatchAction.StopShard, 3, false, 1, 10, "Retry", 1_000)]
    [InlineData(FailedBatchAction.StopShard, 3, false, 2, 10, "Retry", 2_000)]
    [InlineData(FailedBatchAction.StopShard, 3, false, 3, 10, "Retry", 4_000)]
    [InlineData(FailedBatchAction.StopShard, 3, false, 4, 10, "Stall", 8_000)]
    [InlineData(FailedBatchAction.StopShard, 3, false, 5, 10, "Stall", 10_000)]
    [InlineData(FailedBatchAction.StopShard, 3, false, 500, 10, "Stall", 10_000)]
    [InlineData(FailedBatchAction.StopShard, 0, false, 1, 1, "Stall", 1_000)]
    [InlineData(FailedBatchAction.SkipBatch, 3, false, 3, 10, "Retry", 4_000)]
    [InlineData(FailedBatchAction.SkipBatch, 3, false, 4, 10, "Skip", 0)]
    [InlineData(FailedBatchAction.SkipBatch, 0, false, 1, 10, "Skip", 0)]
    [InlineData(FailedBatchAction.DeadLetter, 3, false, 4, 10, "DeadLetter", 0)]
    [InlineData(FailedBatchAction.DeadLetter, 1, false, 1, 10, "Retry", 1_000)]
    [InlineData(FailedBatchAction.DeadLetter, 1, true, 2, 10, "Bisect", 0)]
    [InlineData(FailedBatchAction.DeadLetter, 1, true, 2, 2, "Bisect", 0)]
    [InlineData(FailedBatchAction.DeadLetter, 1, true, 2, 1, "DeadLetter", 0)]
    [InlineData(FailedBatchAction.SkipBatch, 1, true, 2, 1, "Skip", 0)]
    [InlineData(FailedBatchAction.StopShard, 1, true, 2, 7, "Bisect", 0)]
    [InlineData(FailedBatchAction.StopShard, 1, true, 2, 1, "Stall", 2_000)]
    [InlineData(FailedBatchAction.StopShard, 1, true, 1, 7, "Retry", 1_000)]
    public void Decides_after_a_failed_attempt(FailedBatchAction action, int retries, bool bisect, int attempt, int records, string step, int waitMs)
    {
        var policy = new FailurePolicy(action, retries, bisect, Base, Cap);

        var decision = policy.Decide(attempt, records, new InvalidOperationException("bad record"));

        Assert.Equal(new FailureDecision(Enum.Parse<FailureStep>(step), TimeSpan.FromMilliseconds(waitMs)), decision);
    }

    [Theory]
    [InlineData(FailedBatchAction.StopShard)]
    [InlineData(FailedBatchAction.SkipBatch)]
    [InlineData(FailedBatchAction.DeadLetter)]
    public void A_lost_lease_is_never_retried_nor_handed_off(FailedBatchAction action)
    {
        var policy = new FailurePolicy(action, 3, bisect: true, Base, Cap);

        Assert.Equal(FailureStep.Abandon, policy.Decide(1, 10, new LeaseLostException("shardId-000000000000", "taken")).Step);
        Assert.Equal(FailureStep.Abandon, policy.Decide(9, 1, new LeaseLostException("shardId-000000000000", "taken")).Step);
    }

    [Fact]
    public void The_wait_doubles_up_to_the_cap_and_never_overflows()
    {
        var policy = new FailurePolicy(FailedBatchAction.StopShard, 0, false, TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(5));

        Assert.Equal(TimeSpan.FromMilliseconds(250), policy.DelayAfter(1));
        Assert.Equal(TimeSpan.FromMilliseconds(500), policy.DelayAfter(2));
        Assert.Equal(TimeSpan.FromSeconds(64), policy.DelayAfter(9));
        Assert.Equal(TimeSpan.FromSeconds(256), policy.DelayAfter(11));
        Assert.Equal(TimeSpan.FromMinutes(5), policy.DelayAfter(12));
        Assert.Equal(TimeSpan.FromMinutes(5), policy.DelayAfter(int.MaxValue));
    }
}
