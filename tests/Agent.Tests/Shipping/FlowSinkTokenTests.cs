using Kinesis.Clients.Agent.Shipping;
using Kinesis.Clients.Agent.Tests.Tailing;

namespace Kinesis.Clients.Agent.Tests.Shipping;

/// <summary>
/// The token a <see cref="FlowSink"/> run travels with through the producer: first ticket, count and length packed in
/// one number, and read back into the acknowledgement of exactly that run.
/// </summary>
public sealed class FlowSinkTokenTests
{
    [Theory]
    [InlineData(0L, 1, 0)]
    [InlineData((1L << 32) + 7, 1, 100)]
    [InlineData((1L << 32) + 7, 2_048, 51_200)]
    [InlineData((1L << 32) + (1L << 31) + 5, 2_048, (1 << 20) - 1)]
    [InlineData((5L << 32) - 1, 1, (1 << 21) - 1)]
    [InlineData(7L, 1, 3 * 1024 * 1024)]
    [InlineData((1L << 32) + 9, 1, (10 * 1024 * 1024) - 1024)]
    [InlineData((1L << 40) + 12_345, 2, 1)]
    public void A_token_carries_the_first_tickets_low_32_bits_the_count_and_the_length(long ticket, int count, int length)
    {
        var token = FlowSink.TokenOf(ticket, count, length);
        Assert.Equal(ticket & uint.MaxValue, FlowSink.TicketOf(token));
        Assert.Equal(count, FlowSink.CountOf(token));
        Assert.Equal(length, FlowSink.LengthOf(token));
    }

    [Theory]
    [InlineData(2, 1 << 20)]
    [InlineData(2_049, 100)]
    public void A_run_the_token_cannot_carry_is_refused_rather_than_misread(int count, int length) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FlowSink.TokenOf(0, count, length));

    [Theory]
    [InlineData(1)]
    [InlineData(2_048)]
    public void A_tokens_ticket_acknowledges_its_run_in_a_tracker_past_ticket_2_to_the_32(int count)
    {
        // The run starts just below 2^32 and ends above it.
        var first = (1L << 32) - 1;
        var tracker = AckTrackerRangeTests.FastForwarded(first - 10, acknowledgedOffset: 0, maxPending: 4_096);
        var ends = Enumerable.Range(1, 10 + count + 5).Select(i => i * 100L).ToArray();
        Assert.Equal(ends.Length, tracker.TryIssue(ends, out _));
        tracker.Acknowledge(first - 10, 10);

        var token = FlowSink.TokenOf(first, count, 1_000);
        tracker.Acknowledge(FlowSink.TicketOf(token), FlowSink.CountOf(token));
        Assert.Equal((ends[10 + count - 1], 5L), tracker.Snapshot());
    }
}
