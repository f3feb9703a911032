using CsCheck;
using Kinesis.Clients.Agent.Tailing;

namespace Kinesis.Clients.Agent.Tests.Tailing;

public sealed class AckTrackerTests
{
    [Fact]
    public void In_order_acknowledgements_advance_to_each_records_end()
    {
        var tracker = new AckTracker(100, 1024);
        Assert.Equal(3, tracker.TryIssue([110, 120, 130], out var first));
        Assert.Equal(0, first);
        Assert.Equal(100, tracker.AcknowledgedOffset);
        tracker.Acknowledge(0);
        Assert.Equal(110, tracker.AcknowledgedOffset);
        tracker.Acknowledge(1);
        tracker.Acknowledge(2);
        Assert.Equal((130, 0), tracker.Snapshot());
    }

    [Fact]
    public void A_gap_holds_the_offset_until_it_fills_then_it_jumps_past_everything_acknowledged()
    {
        var tracker = new AckTracker(0, 1024);
        tracker.TryIssue([10, 20, 30, 40, 50], out _);
        tracker.Acknowledge(0);
        tracker.Acknowledge(2);
        tracker.Acknowledge(3);
        tracker.Acknowledge(4);
        Assert.Equal((10, 4), tracker.Snapshot());
        tracker.Acknowledge(1);
        Assert.Equal((50, 0), tracker.Snapshot());
    }

    [Fact]
    public void Repeated_acknowledgements_are_ignored_and_unissued_tickets_are_refused()
    {
        var tracker = new AckTracker(0, 1024);
        tracker.TryIssue([10, 20], out _);
        tracker.Acknowledge(1);
        tracker.Acknowledge(1);
        tracker.Acknowledge(0);
        tracker.Acknowledge(0);
        Assert.Equal((20, 0), tracker.Snapshot());
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Acknowledge(2));
    }

    [Fact(Timeout = 10_000)]
    public async Task A_full_ring_issues_nothing_until_a_quarter_of_it_is_acknowledged_in_order()
    {
        var tracker = new AckTracker(0, 64);
        var ends = Enumerable.Range(1, 100).Select(i => (long)i).ToArray();
        Assert.Equal(64, tracker.TryIssue(ends, out _));
        Assert.Equal(0, tracker.TryIssue(ends.AsSpan(64), out _));

        var waiting = tracker.WaitForSpaceAsync(CancellationToken.None);
        tracker.Acknowledge(20); // out of order: frees nothing
        for (var t = 0; t < 15; t++)
        {
            tracker.Acknowledge(t);
        }

        Assert.False(waiting.IsCompleted); // 15 free: the reader would only issue a few at a time
        tracker.Acknowledge(15);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(16, tracker.TryIssue(ends.AsSpan(64), out var ticket));
        Assert.Equal(64, ticket);
    }

    [Fact]
    public void An_idle_tracker_shrinks_back_and_keeps_its_offset()
    {
        var tracker = new AckTracker(0, 4096);
        var ends = Enumerable.Range(1, 3000).Select(i => (long)i).ToArray();
        Assert.Equal(3000, tracker.TryIssue(ends, out _));
        tracker.TrimIfIdle(); // outstanding records: must not drop them
        for (var t = 0; t < 3000; t++)
        {
            tracker.Acknowledge(t);
        }

        tracker.TrimIfIdle();
        Assert.Equal((3000L, 0L), tracker.Snapshot());
        Assert.Equal(2, tracker.TryIssue([3001, 3002], out var next));
        Assert.Equal(3000, next);
        tracker.Acknowledge(3001);
        tracker.Acknowledge(3000);
        Assert.Equal(3002, tracker.AcknowledgedOffset);
    }

    [Fact(Timeout = 10_000)]
    public async Task Waiting_for_room_stops_when_cancelled()
    {
        var tracker = new AckTracker(0, 64);
        tracker.TryIssue(Enumerable.Range(1, 64).Select(i => (long)i).ToArray(), out _);
        using var cancel = new CancellationTokenSource();
        var waiting = tracker.WaitForSpaceAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Any_acknowledgement_order_leaves_the_offset_at_the_end_of_the_longest_acknowledged_prefix()
    {
        var gen = Gen.Int[1, 300].SelectMany(n => Gen.Shuffle(Enumerable.Range(0, n).ToArray()).Select(order => (n, order)));
        SeededCheck.ForAll(gen, c =>
        {
            // Ring smaller than the records in flight at times: growth must keep out-of-order marks.
            var tracker = new AckTracker(7, 4096);
            var ends = Enumerable.Range(1, c.n).Select(i => 7 + (i * 3L)).ToArray();
            var issued = 0;
            var acked = new bool[c.n];
            foreach (var ticket in c.order)
            {
                while (issued <= ticket)
                {
                    issued += tracker.TryIssue(ends.AsSpan(issued, Math.Min(17, c.n - issued)), out _);
                }

                tracker.Acknowledge(ticket);
                acked[ticket] = true;
                var prefix = 0;
                while (prefix < c.n && acked[prefix])
                {
                    prefix++;
                }

                Assert.Equal(prefix == 0 ? 7 : ends[prefix - 1], tracker.AcknowledgedOffset);
            }

            Assert.Equal((ends[^1], 0L), tracker.Snapshot());
        }, stream: 7);
    }

    [Fact(Timeout = 30_000)]
    public async Task Acknowledgements_from_many_threads_end_at_the_last_offset()
    {
        const int count = 200_000;
        var tracker = new AckTracker(0, count);
        var ends = Enumerable.Range(1, count).Select(i => (long)i * 10).ToArray();
        Assert.Equal(count, tracker.TryIssue(ends, out _));
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var t = w; t < count; t += 4)
            {
                tracker.Acknowledge(t);
            }
        }));
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((count * 10L, 0L), tracker.Snapshot());
    }
}
