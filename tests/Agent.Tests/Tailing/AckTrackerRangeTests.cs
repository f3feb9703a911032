using System.Reflection;
using CsCheck;
using Kinesis.Clients.Agent.Tailing;

namespace Kinesis.Clients.Agent.Tests.Tailing;

/// <summary>
/// Range acknowledgements (<see cref="AckTracker.Acknowledge"/> with a count, as a shipped run reports them), and
/// tickets named by their low 32 bits once a file has had more than 2^32 records.
/// </summary>
public sealed class AckTrackerRangeTests
{
    private const long TwoTo32 = 1L << 32;

    [Fact]
    public void A_range_acknowledgement_advances_the_offset_over_the_whole_range()
    {
        var tracker = new AckTracker(100, 1024);
        var ends = Ends(100, 10);
        Assert.Equal(10, tracker.TryIssue(ends, out var first));
        Assert.Equal(0, first);

        tracker.Acknowledge(0, 4);
        Assert.Equal((ends[3], 6L), tracker.Snapshot());
        tracker.Acknowledge(4, 6);
        Assert.Equal((ends[9], 0L), tracker.Snapshot());
    }

    [Fact]
    public void Ranges_acknowledged_later_first_hold_the_offset_until_the_gap_before_them_closes()
    {
        var tracker = new AckTracker(0, 1024);
        var ends = Ends(0, 12);
        tracker.TryIssue(ends, out _);

        tracker.Acknowledge(8, 4);
        tracker.Acknowledge(4, 3);
        Assert.Equal((0L, 12L), tracker.Snapshot());
        tracker.Acknowledge(0, 4);
        Assert.Equal((ends[6], 5L), tracker.Snapshot()); // ticket 7 is still the gap
        tracker.Acknowledge(7);
        Assert.Equal((ends[11], 0L), tracker.Snapshot());
    }

    [Fact]
    public void Repeated_and_overlapping_ranges_are_ignored_for_the_tickets_already_acknowledged()
    {
        var tracker = new AckTracker(0, 1024);
        var ends = Ends(0, 10);
        tracker.TryIssue(ends, out _);

        tracker.Acknowledge(2, 3);
        tracker.Acknowledge(2, 3);
        tracker.Acknowledge(3, 1);
        Assert.Equal((0L, 10L), tracker.Snapshot());
        tracker.Acknowledge(0, 2);
        Assert.Equal((ends[4], 5L), tracker.Snapshot());

        // Wholly behind the offset: nothing changes.
        tracker.Acknowledge(0, 5);
        tracker.Acknowledge(1, 2);
        Assert.Equal((ends[4], 5L), tracker.Snapshot());

        // Straddling the offset: only tickets 5 and 6 are new.
        tracker.Acknowledge(3, 4);
        Assert.Equal((ends[6], 3L), tracker.Snapshot());

        // Ahead of the offset and overlapping a range acknowledged ahead of it.
        tracker.Acknowledge(8, 2);
        tracker.Acknowledge(7, 3);
        Assert.Equal((ends[9], 0L), tracker.Snapshot());
        tracker.Acknowledge(0, 10);
        Assert.Equal((ends[9], 0L), tracker.Snapshot());
    }

    [Fact]
    public void A_range_reaching_past_the_next_ticket_is_refused_and_marks_nothing()
    {
        var tracker = new AckTracker(0, 1024);
        var ends = Ends(0, 5);
        tracker.TryIssue(ends, out _);

        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Acknowledge(3, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Acknowledge(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Acknowledge(0, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Acknowledge(0, 0));
        Assert.Equal((0L, 5L), tracker.Snapshot());

        // Had the refused range marked tickets 3 and 4, the offset would now jump past them.
        tracker.Acknowledge(0, 3);
        Assert.Equal((ends[2], 2L), tracker.Snapshot());
        tracker.Acknowledge(3, 2);
        Assert.Equal((ends[4], 0L), tracker.Snapshot());
    }

    [Fact]
    public void Any_split_into_ranges_acknowledged_in_any_order_with_repeats_ends_at_the_longest_acknowledged_prefix()
    {
        var gen =
            from n in Gen.Int[1, 400]
            from cuts in Gen.Int[1, n].Array[0, 60]
            from repeats in Gen.Int[0, 20]
            from seed in Gen.Int
            select (n, cuts, repeats, seed);
        SeededCheck.ForAll(gen, c =>
        {
            var random = new Random(c.seed);
            var bounds = c.cuts.Append(0).Append(c.n).Distinct().Order().ToArray();
            var ranges = bounds.Zip(bounds.Skip(1), (from, to) => (First: from, Count: to - from)).ToList();
            var order = ranges.Concat(Enumerable.Range(0, c.repeats).Select(_ => ranges[random.Next(ranges.Count)])).OrderBy(_ => random.Next()).ToList();

            var tracker = new AckTracker(3, 4096);
            var ends = Ends(3, c.n);
            var issued = 0;
            var acked = new bool[c.n];
            foreach (var (first, count) in order)
            {
                // Issued in small batches only as far as needed: the ring grows while marks are outstanding.
                while (issued < first + count)
                {
                    issued += tracker.TryIssue(ends.AsSpan(issued, Math.Min(13, c.n - issued)), out _);
                }

                tracker.Acknowledge(first, count);
                acked.AsSpan(first, count).Fill(true);
                var prefix = acked.AsSpan().IndexOf(false) is var gap and >= 0 ? gap : c.n;
                Assert.Equal((prefix == 0 ? 3 : ends[prefix - 1], (long)(issued - prefix)), tracker.Snapshot());
            }

            Assert.Equal((ends[^1], 0L), tracker.Snapshot());
        }, stream: 7);
    }

    /// <remarks>
    /// Issuing and acknowledging 2^32 tickets through the API, in chunks of 2^12 to 2^20 acknowledged as one range
    /// each, takes about 11 ns a ticket in the debug build the suite runs: some 50 s. So the tracker is
    /// fast-forwarded to a little below 2^32 and the boundary is then crossed through the API, over a million
    /// tickets.
    /// </remarks>
    [Fact]
    public void Ranges_named_by_their_low_32_bits_advance_a_tracker_whose_tickets_pass_2_to_the_32()
    {
        const int chunk = 65_521; // not a power of two, so one chunk straddles 2^32 rather than ending at it
        var start = TwoTo32 - (20 * chunk) - 37;
        var tracker = FastForwarded(start, acknowledgedOffset: 1_000, maxPending: 1 << 17);
        var ends = new long[chunk];
        long offset = 1_000;
        var straddled = false;
        while (true)
        {
            for (var i = 0; i < chunk; i++)
            {
                ends[i] = offset + ((i + 1) * 10L);
            }

            Assert.Equal(chunk, tracker.TryIssue(ends, out var first));
            straddled |= first < TwoTo32 && first + chunk > TwoTo32;

            // The later half first: in the chunk that straddles 2^32 it lies above 2^32 while the head is below.
            const int half = chunk / 2;
            tracker.Acknowledge((first + half) & uint.MaxValue, chunk - half);
            Assert.Equal((offset, (long)chunk), tracker.Snapshot());
            tracker.Acknowledge(first & uint.MaxValue, half);
            offset = ends[^1];
            Assert.Equal((offset, 0L), tracker.Snapshot());
            if (first > TwoTo32 + 100)
            {
                break;
            }
        }

        Assert.True(straddled, "One chunk should have crossed ticket 2^32.");
    }

    [Fact]
    public void Out_of_order_ranges_on_both_sides_of_2_to_the_32_are_resolved_from_their_low_bits()
    {
        var tracker = FastForwarded(TwoTo32 - 3, acknowledgedOffset: 500, maxPending: 1024);
        var ends = Ends(500, 8); // tickets 2^32-3 .. 2^32+4
        Assert.Equal(8, tracker.TryIssue(ends, out var first));
        Assert.Equal(TwoTo32 - 3, first);

        tracker.Acknowledge(1, 2);            // 2^32+1 and 2^32+2
        tracker.Acknowledge(0xFFFF_FFFE, 2);  // 2^32-2 and 2^32-1
        Assert.Equal((500L, 8L), tracker.Snapshot());
        tracker.Acknowledge(0xFFFF_FFFD);     // 2^32-3: the offset moves up to the gap at 2^32
        Assert.Equal((ends[2], 5L), tracker.Snapshot());
        tracker.Acknowledge(0xFFFF_FFFF, 2);  // 2^32-1 again, and 2^32: closes the gap
        Assert.Equal((ends[5], 2L), tracker.Snapshot());

        // The next ticket (2^32+5) by its low bits was never issued.
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Acknowledge(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => tracker.Acknowledge(3, 3));
        tracker.Acknowledge(3, 2);
        Assert.Equal((ends[7], 0L), tracker.Snapshot());
    }

    [Fact]
    public void A_stale_tickets_low_bits_are_ignored_even_when_they_are_numerically_above_the_outstanding_ones()
    {
        var tracker = FastForwarded(TwoTo32 - 4, acknowledgedOffset: 0, maxPending: 1024);
        var ends = Ends(0, 10); // tickets 2^32-4 .. 2^32+5
        tracker.TryIssue(ends, out _);
        tracker.Acknowledge(0xFFFF_FFFC, 7); // up to 2^32+2
        Assert.Equal((ends[6], 3L), tracker.Snapshot());

        // Low bits 0xFFFFFFFE are far above 3, the head's; they name 2^32-2, acknowledged already.
        tracker.Acknowledge(0xFFFF_FFFE);
        tracker.Acknowledge(0xFFFF_FFFC, 4);
        tracker.Acknowledge(0, 3);
        tracker.Acknowledge(TwoTo32 - 2); // the whole ticket: only its low 32 bits count
        Assert.Equal((ends[6], 3L), tracker.Snapshot());

        // A stale range running into the outstanding tickets acknowledges only the new ones.
        tracker.Acknowledge(0xFFFF_FFFF, 5);
        Assert.Equal((ends[7], 2L), tracker.Snapshot());
        tracker.Acknowledge(4, 2);
        Assert.Equal((ends[9], 0L), tracker.Snapshot());
    }

    [Fact]
    public void A_fast_forwarded_tracker_behaves_like_one_that_issued_and_acknowledged_as_many_tickets()
    {
        const int issuedBefore = 1 << 20;
        var honest = new AckTracker(0, 1 << 16);
        var ends = Ends(0, 1 << 16);
        for (var done = 0; done < issuedBefore; done += ends.Length)
        {
            Assert.Equal(ends.Length, honest.TryIssue(ends, out var first));
            honest.Acknowledge(first, ends.Length);
        }

        var shortcut = FastForwarded(issuedBefore, acknowledgedOffset: ends[^1], maxPending: 1 << 16);
        Assert.Equal(honest.Snapshot(), shortcut.Snapshot());
        var random = new Random(11);
        var next = Ends(ends[^1], 300);
        var order = Enumerable.Range(0, 300).OrderBy(_ => random.Next()).ToArray();
        foreach (var tracker in new[] { honest, shortcut })
        {
            Assert.Equal(300, tracker.TryIssue(next, out var first));
            Assert.Equal(issuedBefore, first);
        }

        foreach (var t in order)
        {
            honest.Acknowledge(issuedBefore + t);
            shortcut.Acknowledge(issuedBefore + t);
            Assert.Equal(honest.Snapshot(), shortcut.Snapshot());
        }
    }

    private static long[] Ends(long start, int count) => Enumerable.Range(1, count).Select(i => start + (i * 10L)).ToArray();

    /// <summary>
    /// A tracker in the state one reaches after issuing and acknowledging <paramref name="tickets"/> tickets in
    /// order: none outstanding, the next ticket <paramref name="tickets"/>. Set through its two private ticket
    /// counters (there is no other way short of issuing them all); fails loudly if they are renamed.
    /// </summary>
    internal static AckTracker FastForwarded(long tickets, long acknowledgedOffset, int maxPending)
    {
        var tracker = new AckTracker(acknowledgedOffset, maxPending);
        foreach (var name in new[] { "_head", "_next" })
        {
            var field = typeof(AckTracker).GetField(name, BindingFlags.Instance | BindingFlags.NonPublic);
            Assert.True(field is not null && field.FieldType == typeof(long), $"AckTracker no longer has a long field {name}: update {nameof(FastForwarded)}.");
            field.SetValue(tracker, tickets);
        }

        Assert.Equal((acknowledgedOffset, 0L), tracker.Snapshot());
        return tracker;
    }
}
