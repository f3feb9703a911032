using Kinesis.Clients.Consumer.Worker;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>The KCL's deferred deletion of former streams' leases, decided on the worker's clock.</summary>
public sealed class FormerStreamsTests
{
    private const long Wait = 100;
    private static readonly StreamIdentifier A = StreamIdentifier.MultiStream("111111111111", "a", 1);
    private static readonly StreamIdentifier B = StreamIdentifier.MultiStream("111111111111", "b", 2);
    private static readonly StreamIdentifier OldA = StreamIdentifier.MultiStream("111111111111", "a", 0 + 7);

    [Fact]
    public void With_no_deletion_nothing_is_ever_due()
    {
        var former = new FormerStreams();

        Assert.Empty(former.Decide(FormerStreamsLeasesDeletion.None, Tracked(A), [A, B], [], now: 0, Wait));
        Assert.Empty(former.Decide(FormerStreamsLeasesDeletion.None, Tracked(A), [A, B], [], now: 10_000, Wait));
        Assert.Empty(former.Pending);
    }

    [Fact]
    public void Auto_detection_deletes_an_untracked_stream_after_the_wait_and_never_a_tracked_one()
    {
        var former = new FormerStreams();

        Assert.Empty(former.Decide(FormerStreamsLeasesDeletion.AutoDetectionDeferred, Tracked(A), [A, B], [], now: 0, Wait));
        Assert.Equal([B], former.Pending.Keys);
        Assert.Empty(former.Decide(FormerStreamsLeasesDeletion.AutoDetectionDeferred, Tracked(A), [A, B], [], now: Wait - 1, Wait));
        Assert.Equal([B], former.Decide(FormerStreamsLeasesDeletion.AutoDetectionDeferred, Tracked(A), [A, B], [], now: Wait, Wait));
        former.Deleted(B);
        Assert.Empty(former.Pending);
    }

    [Fact]
    public void A_stream_tracked_again_before_the_wait_ends_is_not_deleted_and_its_wait_starts_over()
    {
        var former = new FormerStreams();

        former.Decide(FormerStreamsLeasesDeletion.AutoDetectionDeferred, Tracked(A), [A, B], [], now: 0, Wait);
        Assert.Empty(former.Decide(FormerStreamsLeasesDeletion.AutoDetectionDeferred, Tracked(A, B), [A, B], [], now: 50, Wait));
        Assert.Empty(former.Pending);
        Assert.Empty(former.Decide(FormerStreamsLeasesDeletion.AutoDetectionDeferred, Tracked(A), [A, B], [], now: 120, Wait));
        Assert.Equal([B], former.Decide(FormerStreamsLeasesDeletion.AutoDetectionDeferred, Tracked(A), [A, B], [], now: 220, Wait));
    }

    [Fact]
    public void Provided_streams_deletes_only_the_named_untracked_streams()
    {
        var former = new FormerStreams();
        var named = new[] { StreamReference.Parse("b", "s"), StreamReference.Parse("a", "s") };

        former.Decide(FormerStreamsLeasesDeletion.ProvidedStreamsDeferred, Tracked(A), [A, B, OldA], named, now: 0, Wait);

        // A is tracked; the older incarnation of a is not, and "a" by name matches it.
        Assert.Equal([OldA, B], former.Decide(FormerStreamsLeasesDeletion.ProvidedStreamsDeferred, Tracked(A), [A, B, OldA], named, now: Wait, Wait));
        Assert.Empty(new FormerStreams().Decide(FormerStreamsLeasesDeletion.ProvidedStreamsDeferred, Tracked(A), [A, B], [], now: 0, 0));
    }

    private static HashSet<StreamIdentifier> Tracked(params StreamIdentifier[] streams) => [.. streams];
}
