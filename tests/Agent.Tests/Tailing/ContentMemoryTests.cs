using Kinesis.Clients.Agent.Checkpoints;
using Kinesis.Clients.Agent.Tailing;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Agent.Tests.Tailing;

public sealed class ContentMemoryTests
{
    private static readonly byte[] Content = Enumerable.Range(0, 3000).Select(i => (byte)('a' + (i % 26))).ToArray();

    [Fact]
    public void A_checkpoint_is_matched_by_inode_once_and_by_the_hash_of_its_head()
    {
        var time = new FakeTimeProvider();
        var memory = new ContentMemory();
        var head = new ContentHead(Content);
        memory.Remember(new FileCheckpoint("f", 1, 2, ContentHead.HashOf(Content.AsSpan(0, 100)), 100, "/a", 50, time.GetUtcNow()), time.GetTimestamp());

        var known = memory.Take(new FileKey(1, 2));
        Assert.NotNull(known);
        Assert.True(known.Matches(head)); // the file grew past the 100 bytes the checkpoint hashed
        Assert.False(known.Matches(new ContentHead(Content.AsSpan(1))));
        Assert.False(known.Matches(new ContentHead(Content.AsSpan(0, 99)))); // too short to tell
        Assert.Null(memory.Take(new FileKey(1, 2)));
    }

    [Fact]
    public void A_truncated_generation_is_a_copy_source_for_files_starting_with_its_whole_head_until_it_is_pruned()
    {
        var time = new FakeTimeProvider();
        var memory = new ContentMemory();
        var generation = new TailGeneration("f", "/a", 0, new ContentHead(Content), 64, null);
        memory.Retire(generation, 2000, Content[1000..2500], 1000, time.GetTimestamp());

        Assert.Same(generation, memory.FindTruncated(new ContentHead(Content))?.Generation);
        Assert.Null(memory.FindTruncated(new ContentHead(Content.AsSpan(0, 500)))); // shorter than the head
        Assert.Null(memory.FindTruncated(new ContentHead([.. Content[..10], (byte)'!', .. Content[11..]])));

        time.Advance(TimeSpan.FromMinutes(1));
        memory.Prune(time, time.GetTimestamp(), TimeSpan.FromMinutes(2), TimeSpan.FromHours(1));
        Assert.NotNull(memory.FindTruncated(new ContentHead(Content)));
        time.Advance(TimeSpan.FromMinutes(2));
        memory.Prune(time, time.GetTimestamp(), TimeSpan.FromMinutes(2), TimeSpan.FromHours(1));
        Assert.Null(memory.FindTruncated(new ContentHead(Content)));
    }

    [Fact]
    public void Closed_files_are_forgotten_after_their_time_but_loaded_checkpoints_are_kept()
    {
        var time = new FakeTimeProvider();
        var memory = new ContentMemory();
        var generation = new TailGeneration("f", "/a", 0, new ContentHead(Content), 64, null);
        memory.RememberClosed(new FileKey(1, 1), generation, 3000, time.GetTimestamp());
        memory.Remember(new FileCheckpoint("f", 1, 2, 0, 0, "/b", 0, time.GetUtcNow()), time.GetTimestamp());

        time.Advance(TimeSpan.FromHours(2));
        memory.Prune(time, time.GetTimestamp(), TimeSpan.FromMinutes(2), TimeSpan.FromHours(1));
        Assert.False(memory.Knows(new FileKey(1, 1)));
        Assert.True(memory.Knows(new FileKey(1, 2)));
    }

    [Fact]
    public void A_generation_holds_its_checkpoint_behind_a_predecessor_until_that_catches_up()
    {
        var head = new ContentHead(Content);
        var original = new TailGeneration("f", "/a", 0, head, 64, null);
        original.Tracker.TryIssue([100, 200, 300], out _);
        original.SettledOffset = 300;
        original.Tracker.Acknowledge(0);

        // The copy starts where the original was read to, but two of the original's records are in flight.
        var copy = new TailGeneration("f", "/a.1", 300, head, 64, original);
        copy.Tracker.TryIssue([400], out _);
        copy.SettledOffset = 400;
        copy.Tracker.Acknowledge(0);
        Assert.Equal(100, copy.DurableOffset());

        original.Tracker.Acknowledge(2);
        original.Tracker.Acknowledge(1);
        Assert.Equal(400, copy.DurableOffset());
    }
}
