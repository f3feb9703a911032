using Kinesis.Clients.Consumer.Worker;

namespace Kinesis.Clients.Consumer.Tests.Worker;

public sealed class AcquiredLeaseStateTests
{
    [Theory]
    [InlineData(false, false, true, "Start")]
    [InlineData(false, false, false, "Drop")]
    [InlineData(true, false, true, "Drop")]
    [InlineData(true, false, false, "Drop")]
    [InlineData(true, true, true, "Wait")]
    [InlineData(true, true, false, "Wait")]
    public void An_acquired_lease_starts_waits_for_its_previous_tenure_or_is_dropped(bool running, bool stopping, bool held, string expected) =>
        Assert.Equal(Enum.Parse<LeaseStartDecision>(expected), new AcquiredLeaseState(running, stopping, held).Decide());
}
