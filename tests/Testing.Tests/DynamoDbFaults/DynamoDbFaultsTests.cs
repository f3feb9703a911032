using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Testing.Tests.DynamoDbFaults;

/// <summary>Which requests a fault rule hits: operation, count, skipped calls, probability, time window.</summary>
public sealed class DynamoDbFaultsTests
{
    [Fact]
    public void A_counted_rule_hits_its_operation_that_often_after_the_skipped_ones()
    {
        var faults = new Testing.DynamoDbFaults(TimeProvider.System, seed: 1);
        var rule = faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.InternalServerError) { Operation = "UpdateItem", Count = 2, SkipFirst = 1 });

        var decided = new[] { "Scan", "UpdateItem", "UpdateItem", "GetItem", "UpdateItem", "UpdateItem" }.Select(faults.Decide).Select(d => d.Fault).ToList();

        Assert.Equal([null, null, DynamoDbFaultKind.InternalServerError, null, DynamoDbFaultKind.InternalServerError, null], decided);
        Assert.Equal(2, rule.Hits);
        Assert.Equal(3, rule.Matched);
        Assert.True(rule.IsSpent);
    }

    [Fact]
    public void Latency_adds_up_and_the_first_fault_rule_decides()
    {
        var faults = new Testing.DynamoDbFaults(TimeProvider.System, seed: 1);
        faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.Latency) { Delay = TimeSpan.FromMilliseconds(30) });
        faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.Throttling) { Operation = "PutItem", Count = 1 });
        var reset = faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.Reset) { Operation = "PutItem", Count = 1 });
        faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.Latency) { Operation = "PutItem", Delay = TimeSpan.FromMilliseconds(20) });

        var first = faults.Decide("PutItem");
        var second = faults.Decide("PutItem");
        var third = faults.Decide("PutItem");

        Assert.Equal(new DynamoDbFaultDecision(TimeSpan.FromMilliseconds(50), DynamoDbFaultKind.Throttling), first);
        Assert.Equal(new DynamoDbFaultDecision(TimeSpan.FromMilliseconds(50), DynamoDbFaultKind.Reset), second);
        Assert.Equal(new DynamoDbFaultDecision(TimeSpan.FromMilliseconds(50), null), third);
        Assert.Equal(1, reset.Hits);
    }

    [Fact]
    public void A_windowed_rule_stops_when_its_duration_has_passed_on_the_proxy_clock()
    {
        var clock = new FakeTimeProvider();
        var faults = new Testing.DynamoDbFaults(clock, seed: 1);
        var rule = faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.ProvisionedThroughputExceeded) { Duration = TimeSpan.FromSeconds(10) });

        var during = faults.Decide("UpdateItem").Fault;
        clock.Advance(TimeSpan.FromSeconds(9.9));
        var late = faults.Decide("Scan").Fault;
        clock.Advance(TimeSpan.FromSeconds(0.1));
        var after = faults.Decide("UpdateItem").Fault;

        Assert.Equal(DynamoDbFaultKind.ProvisionedThroughputExceeded, during);
        Assert.Equal(DynamoDbFaultKind.ProvisionedThroughputExceeded, late);
        Assert.Null(after);
        Assert.True(rule.IsSpent);
    }

    [Fact]
    public void A_probability_hits_about_that_share_the_same_way_for_the_same_seed()
    {
        static List<bool> Draw(int seed)
        {
            var faults = new Testing.DynamoDbFaults(TimeProvider.System, seed);
            faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.InternalServerError) { Probability = 0.25 });
            return [.. Enumerable.Range(0, 2000).Select(_ => faults.Decide("GetItem").Fault is not null)];
        }

        var first = Draw(7);

        Assert.Equal(first, Draw(7));
        Assert.InRange(first.Count(hit => hit), 400, 600);
    }

    [Fact]
    public void Removed_and_cleared_rules_hit_nothing()
    {
        var faults = new Testing.DynamoDbFaults(TimeProvider.System, seed: 1);
        var removed = faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.Reset));
        removed.Remove();
        var none = faults.Decide("Scan").Fault;
        faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.Reset));
        faults.Clear();

        Assert.Null(none);
        Assert.Null(faults.Decide("Scan").Fault);
        Assert.True(removed.IsSpent);
        Assert.Empty(faults.Rules);
    }

    [Theory]
    [InlineData(0, null, 0.5, "Delay")]
    [InlineData(1, 0, 1.0, "Count")]
    [InlineData(1, null, 0.0, "Probability")]
    public void Invalid_rules_are_refused_naming_the_property(int delayMs, int? count, double probability, string property)
    {
        var faults = new Testing.DynamoDbFaults(TimeProvider.System, seed: 1);
        var kind = delayMs == 0 ? DynamoDbFaultKind.Latency : DynamoDbFaultKind.Throttling;

        var error = Assert.Throws<ArgumentException>(() => faults.Add(new DynamoDbFaultRule(kind)
        {
            Delay = kind == DynamoDbFaultKind.Latency ? TimeSpan.FromMilliseconds(delayMs) : TimeSpan.Zero,
            Count = count,
            Probability = probability,
        }));

        Assert.Equal(property, error.ParamName);
    }
}
