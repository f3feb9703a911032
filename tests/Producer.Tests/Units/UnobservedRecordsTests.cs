using System.Collections.Concurrent;
using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Pipeline;

namespace Kinesis.Clients.Producer.Tests.Units;

/// <summary>
/// Records nobody watches one by one (EnqueueAsync without an observer) are kept in a plain aggregate only as a count:
/// stored, they give their room and flush epochs back with it; leaving it unsent or failing, they come back out of
/// its bytes as the records they were, each in its place, none lost and none twice.
/// </summary>
public sealed class UnobservedRecordsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public void Records_nobody_watches_are_counted_in_the_aggregate_and_stored_with_it()
    {
        using var f = new BufferFixture();
        var epoch = new FlushEpoch(null);
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        for (var i = 0; i < 5; i++)
        {
            f.Buffers.Add(buffer, Admitted(f, $"record-{i}", i, epoch, $"key-{i}"));
        }

        f.Buffers.Seal(buffer);

        var item = Assert.Single(buffer.Ready);
        Assert.Empty(item.Records);
        Assert.Equal(5, item.Unobserved!.Count);
        Assert.Equal(5, item.UserRecordCount);
        Assert.Equal(5, f.Admission.Records);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"record-{i}"), Decode(item).Select(r => r.Data));

        item.StoreUnobserved();
        item.StoreUnobserved();

        Assert.Equal(0, f.Admission.Records);
        Assert.Equal(0, f.Admission.Bytes);
        epoch.Close();
        Assert.True(epoch.Drained.IsCompleted, "every record of the epoch was stored");

        // Stored once: nothing is left to take back or fail.
        item.TakeUnobservedBack();
        Assert.Empty(item.Records);
    }

    [Fact]
    public void A_lone_record_nobody_watches_goes_out_as_it_is()
    {
        using var f = new BufferFixture();
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        var record = Admitted(f, "alone", 0, new FlushEpoch(null));
        f.Buffers.Add(buffer, record);
        f.Buffers.Seal(buffer);

        var item = Assert.Single(buffer.Ready);
        Assert.Equal([record], item.Records);
        Assert.Null(item.Unobserved);
        Assert.False(item.IsAggregated);
        Assert.Equal("alone", Encoding.UTF8.GetString(item.Data.Span));
    }

    [Fact]
    public void Records_carried_one_by_one_keep_their_sub_record_places_among_those_counted()
    {
        using var f = new BufferFixture();
        var epoch = new FlushEpoch(null);
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        var watched = f.Record(3, 1);
        var run = new UserRecord(f.Stream, "k", null, "onetwo"u8, 7, BufferFixture.At(2), epoch, awaited: false, f.Observer, token: 1, lengths: [3, 3]);
        f.Buffers.Add(buffer, Admitted(f, "u0", 0, epoch));
        f.Buffers.Add(buffer, watched);
        f.Buffers.Add(buffer, Admitted(f, "u1", 1, epoch));
        f.Buffers.Add(buffer, run);
        f.Buffers.Add(buffer, Admitted(f, "u2", 3, epoch));
        f.Buffers.Seal(buffer);

        var item = Assert.Single(buffer.Ready);
        Assert.Equal([watched, run], item.Records);
        Assert.Equal(1, item.PositionOf(0, 0));
        Assert.Equal(3, item.PositionOf(1, 1));
        Assert.Equal(6, item.UserRecordCount);

        item.TakeUnobservedBack();

        Assert.Equal(5, item.Records.Length);
        Assert.Same(watched, item.Records[1]);
        Assert.Same(run, item.Records[3]);
        Assert.Equal(["u0", "u1", "u2"], new[] { item.Records[0], item.Records[2], item.Records[4] }.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.All(new[] { item.Records[0], item.Records[2], item.Records[4] }, r =>
        {
            Assert.Same(epoch, r.Epoch);
            Assert.Equal(3, r.Size);
            Assert.Equal(BufferFixture.At(0), r.AcceptedAt);
        });

        // Taken back, they are consecutive again: the run starts at sub-record 3 by counting.
        Assert.Equal(3, item.PositionOf(3, 3));
        item.TakeUnobservedBack();
        Assert.Equal(5, item.Records.Length);
    }

    [Fact]
    public async Task A_failed_aggregate_reports_each_counted_record_with_its_key_and_data_and_gives_its_room_back()
    {
        var failures = new ConcurrentQueue<RecordFailure>();
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var f = new BufferFixture(onRecordFailed: failure =>
        {
            failures.Enqueue(failure);
            if (failures.Count == 3)
            {
                heard.TrySetResult();
            }
        });
        var epoch = new FlushEpoch(null);
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        f.Buffers.Add(buffer, Admitted(f, "first", 0, epoch, "kéy"));
        f.Buffers.Add(buffer, Admitted(f, "", 1, epoch, "k2", explicitHashKey: "12345"));
        f.Buffers.Add(buffer, Admitted(f, "third", 2, epoch, "k3"));
        f.Buffers.Seal(buffer);

        var item = f.Buffers.TakeReady(buffer);
        item.Attempts.Add(new Attempt(TimeSpan.Zero, TimeSpan.FromMilliseconds(5), "InternalFailure", "went wrong"));
        item.FailRecords("InternalFailure", "went wrong");
        item.FailRecords("InternalFailure", "went wrong");
        await heard.Task.WaitAsync(Deadline);

        Assert.Equal(
            [("kéy", null, "first"), ("k2", "12345", ""), ("k3", null, "third")],
            failures.Select(r => (r.PartitionKey, r.ExplicitHashKey, Encoding.UTF8.GetString(r.Data.Span))));
        Assert.All(failures, r => Assert.Equal("InternalFailure", Assert.Single(r.Attempts).ErrorCode));
        Assert.Equal(0, f.Admission.Records);
        Assert.Equal(0, f.Admission.Bytes);
        epoch.Close();
        Assert.True(epoch.Drained.IsCompleted);
        await Task.Delay(50);
        Assert.Equal(3, failures.Count);
    }

    [Fact]
    public void Records_counted_in_a_closed_shard_s_aggregates_open_or_sealed_are_routed_again_in_order()
    {
        using var f = new BufferFixture();
        var epoch = new FlushEpoch(null);
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        f.Buffers.Add(buffer, Admitted(f, "a", 0, epoch));
        f.Buffers.Add(buffer, Admitted(f, "b", 1, epoch));
        f.Buffers.Seal(buffer);
        var watched = f.Record(1, 2);
        f.Buffers.Add(buffer, Admitted(f, "c", 3, epoch));
        f.Buffers.Add(buffer, watched);
        f.Buffers.Add(buffer, Admitted(f, "d", 4, epoch));

        var moved = f.Buffers.RemoveClosed(_ => false)!;

        Assert.Equal(["a", "b", "c", "\0", "d"], moved.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.Same(watched, moved[3]);
        Assert.Equal(0, f.Buffers.ReadyCount);
        Assert.Equal(4, f.Admission.Records);

        // Routed again they aggregate as before.
        var again = f.Buffers.GetOrCreate("s2", BufferFixture.Start);
        moved.ForEach(r => f.Buffers.Add(again, r));
        f.Buffers.Seal(again);
        Assert.Equal(["a", "b", "c", "\0", "d"], Decode(again.Ready.Peek()).Select(r => r.Data));
    }

    [Fact]
    public async Task Shutting_down_fails_the_counted_records_of_an_open_aggregate_too()
    {
        var failures = new ConcurrentQueue<RecordFailure>();
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var f = new BufferFixture(onRecordFailed: failure =>
        {
            failures.Enqueue(failure);
            if (failures.Count == 2)
            {
                heard.TrySetResult();
            }
        });
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        f.Buffers.Add(buffer, Admitted(f, "open-1", 0, new FlushEpoch(null)));
        f.Buffers.Add(buffer, Admitted(f, "open-2", 1, new FlushEpoch(null)));

        f.Dispose();
        await heard.Task.WaitAsync(Deadline);

        Assert.Equal(["open-1", "open-2"], failures.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.All(failures, r => Assert.Equal("TestOver", r.ErrorCode));
        Assert.Equal(0, f.Admission.Records);
    }

    [Fact]
    public void Compressed_or_encrypted_aggregates_carry_every_record()
    {
        using var f = new BufferFixture(new KinesisProducerOptions { Compression = RecordCompression.Zstd() });
        var buffer = f.Buffers.GetOrCreate("s1", BufferFixture.Start);
        var records = Enumerable.Range(0, 3).Select(i => Admitted(f, $"line {i}", i, new FlushEpoch(null))).ToList();
        records.ForEach(r => f.Buffers.Add(buffer, r));
        f.Buffers.Seal(buffer);

        var item = Assert.Single(buffer.Ready);
        Assert.Equal(records, item.Records);
        Assert.Null(item.Unobserved);
    }

    private static UserRecord Admitted(BufferFixture f, string data, double acceptedAtMs, FlushEpoch epoch, string partitionKey = "k", string? explicitHashKey = null)
    {
        var bytes = Encoding.UTF8.GetBytes(data);
        Assert.True(f.Admission.TryAdmit("stream", partitionKey, bytes, explicitHashKey, out _, out _));
        epoch.Enter();
        var record = f.Unobserved(bytes, acceptedAtMs, epoch, partitionKey, explicitHashKey);
        Assert.True(record.IsUnobserved);
        return record;
    }

    private static IEnumerable<(string Key, string Data)> Decode(KinesisRecordItem item)
    {
        item.EnsureDigest();
        return Deaggregator.Deaggregate(AggregateBuilder.AggregatePartitionKey, item.Data)
            .Select(r => (r.PartitionKey, Encoding.UTF8.GetString(r.Data.Span)));
    }
}
