using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>
/// Runs of records sharing one partition key, put with <see cref="KinesisProducer.EnqueueRunAsync"/>: each run
/// travels whole inside one aggregate and its observer hears one outcome for it.
/// </summary>
[Trait("Category", "Engine")]
public sealed class RunTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public RunTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Every_run_is_reported_stored_once_and_read_back_whole_in_order_inside_one_Kinesis_record_on_the_reported_shard()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 4);
        var options = Options(_aws);
        var failures = CollectFailures(options);
        var observer = new RecordingObserver();
        var random = new Random(20_240_601);
        var runs = Enumerable.Range(0, 300).Select(t => TestRun.Random(random, t, $"key-{t % 11}", random.Next(1, 201))).ToList();
        await using (var producer = new KinesisProducer(options))
        {
            foreach (var run in runs)
            {
                await producer.EnqueueRunAsync(stream, run.PartitionKey, run.Data, run.Lengths, observer, run.Token).AsTask().WaitAsync(Deadline);
            }

            await producer.FlushAsync().WaitAsync(Deadline);
            Assert.Equal(0, producer.OutstandingRecords);
        }

        Assert.Equal(runs.Select(r => r.Token).Order(), observer.Succeeded.Keys.Order());
        Assert.Equal(0, observer.Duplicates);
        Assert.Empty(observer.Failed);
        Assert.Empty(failures);
        var read = await ReadAllAsync(client, stream);
        Assert.Equal(runs.Sum(r => r.Lengths.Length), read.Count);
        var matched = 0;
        foreach (var run in runs)
        {
            matched += AssertReadWhole(read, run, observer.Succeeded[run.Token]);
        }

        Assert.Equal(read.Count, matched);
        Assert.True(read.Select(r => r.Shard.ShardId).Distinct().Count() > 1, "Several keys over 4 shards should use more than one shard.");
    }

    [Fact]
    public async Task Runs_and_single_records_mixed_on_one_stream_all_arrive_with_their_own_outcomes()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 2);
        var options = Options(_aws);
        var failures = CollectFailures(options);
        var observer = new RecordingObserver();
        var random = new Random(7);
        var runs = new List<TestRun>();
        var singles = new Dictionary<long, (string Key, string Data)>();
        await using (var producer = new KinesisProducer(options))
        {
            for (var i = 0; i < 400; i++)
            {
                var key = $"key-{i % 5}";
                if (i % 3 == 0)
                {
                    var data = $"#s{i}|{new string('x', random.Next(0, 300))}";
                    singles.Add(i, (key, data));
                    await producer.EnqueueAsync(stream, key, Encoding.UTF8.GetBytes(data), null, observer, i).AsTask().WaitAsync(Deadline);
                }
                else
                {
                    var run = TestRun.Random(random, i, key, random.Next(2, 40));
                    runs.Add(run);
                    await producer.EnqueueRunAsync(stream, key, run.Data, run.Lengths, observer, i).AsTask().WaitAsync(Deadline);
                }

                if (i == 200)
                {
                    await producer.FlushAsync().WaitAsync(Deadline);
                }
            }

            await producer.FlushAsync().WaitAsync(Deadline);
        }

        Assert.Equal(400, observer.Succeeded.Count);
        Assert.Equal(0, observer.Duplicates);
        Assert.Empty(observer.Failed);
        Assert.Empty(failures);
        var read = await ReadAllAsync(client, stream);
        Assert.Equal(singles.Count + runs.Sum(r => r.Lengths.Length), read.Count);
        var matched = 0;
        foreach (var run in runs)
        {
            matched += AssertReadWhole(read, run, observer.Succeeded[run.Token]);
        }

        foreach (var (token, (key, data)) in singles)
        {
            var single = Assert.Single(read, r => Encoding.UTF8.GetString(r.User.Data.Span) == data);
            Assert.Equal(key, single.User.PartitionKey);
            Assert.Equal((single.Shard.ShardId, single.SequenceNumber), observer.Succeeded[token]);
            matched++;
        }

        Assert.Equal(read.Count, matched);
    }

    [Fact]
    public async Task A_failed_run_reaches_its_observer_once_with_the_lengths_and_data_it_was_given()
    {
        var options = Options(_aws);
        options.RecordTtl = TimeSpan.FromSeconds(1);
        var failures = CollectFailures(options);
        var observer = new RecordingObserver();
        var missing = LocalAws.UniqueName("missing");
        using var expired = new StreamCounter("UserRecordExpired", missing);
        var backing = Encoding.UTF8.GetBytes("--first|second||fourth--");
        var data = backing.AsMemory(2, backing.Length - 4);
        int[] lengths = [6, 7, 0, 7];
        await using (var producer = new KinesisProducer(options))
        {
            await producer.EnqueueRunAsync(missing, "k", data, lengths, observer, 42).AsTask().WaitAsync(Deadline);

            // The caller's buffers are copied: changing them after the call changes nothing.
            backing.AsSpan().Fill((byte)'!');
            lengths[0] = 99;
            await producer.FlushAsync().WaitAsync(Deadline);

            var (token, failure) = await observer.FirstFailure.Task.WaitAsync(Deadline);
            Assert.Equal(42, token);
            Assert.Equal(RecordFailure.Expired, failure.ErrorCode);
            Assert.Equal(missing, failure.StreamName);
            Assert.Equal("k", failure.PartitionKey);
            Assert.Equal("first|second||fourth"u8.ToArray(), failure.Data.ToArray());
            Assert.Equal([6, 7, 0, 7], failure.RecordLengths);
            Assert.Equal(4, failure.RecordCount);
        }

        Assert.Single(observer.Failed);
        Assert.Empty(observer.Succeeded);
        Assert.Empty(failures);
        Assert.Equal(4, expired.Total);
    }

    [Fact]
    public async Task Records_put_around_a_run_in_one_aggregate_get_the_sub_sequence_numbers_they_are_read_at()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        var options = Options(_aws);
        options.RecordMaxBufferedTime = TimeSpan.FromSeconds(10);
        var observer = new RecordingObserver();
        PutResult before, after;
        await using (var producer = new KinesisProducer(options))
        {
            var putBefore = producer.PutAsync(stream, "k", "before"u8.ToArray());
            await producer.EnqueueRunAsync(stream, "k", "12345"u8.ToArray(), [1, 1, 1, 1, 1], observer, 1).AsTask().WaitAsync(Deadline);
            var putAfter = producer.PutAsync(stream, "other", "after"u8.ToArray());
            await producer.FlushAsync().WaitAsync(Deadline);
            before = await putBefore.WaitAsync(Deadline);
            after = await putAfter.WaitAsync(Deadline);
        }

        var read = await ReadAllAsync(client, stream);
        Assert.Equal(["before", "1", "2", "3", "4", "5", "after"], read.Select(r => Encoding.UTF8.GetString(r.User.Data.Span)));
        Assert.Single(read.Select(r => r.SequenceNumber).Distinct());
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), read.Select(r => r.User.SubSequenceNumber));
        Assert.Equal((0, true, read[0].SequenceNumber), (before.SubSequenceNumber, before.IsAggregated, before.SequenceNumber));
        Assert.Equal((6, true, read[6].SequenceNumber), (after.SubSequenceNumber, after.IsAggregated, after.SequenceNumber));
        Assert.Equal((read[1].Shard.ShardId, read[1].SequenceNumber), observer.Succeeded[1]);
    }

    [Fact]
    public async Task A_run_counts_each_of_its_records_as_received_and_put()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        using var received = new StreamCounter("UserRecordsReceived", stream);
        using var put = new StreamCounter("UserRecordsPut", stream);
        var observer = new RecordingObserver();
        await using (var producer = new KinesisProducer(Options(_aws)))
        {
            await producer.EnqueueRunAsync(stream, "k", "abcdefg"u8.ToArray(), [1, 1, 1, 1, 1, 1, 1], observer, 1).AsTask().WaitAsync(Deadline);
            await producer.EnqueueAsync(stream, "k", "h"u8.ToArray(), null, observer, 2).AsTask().WaitAsync(Deadline);
            await producer.FlushAsync().WaitAsync(Deadline);
        }

        Assert.Equal(2, observer.Succeeded.Count);
        Assert.Equal(8, received.Total);
        Assert.Equal(8, put.Total);
    }

    [Fact]
    public async Task A_run_of_one_length_is_put_like_a_single_record_and_goes_unaggregated_when_alone()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        var observer = new RecordingObserver();
        await using (var producer = new KinesisProducer(Options(_aws)))
        {
            await producer.EnqueueRunAsync(stream, "solo", "just one"u8.ToArray(), [8], observer, 5).AsTask().WaitAsync(Deadline);
            await producer.FlushAsync().WaitAsync(Deadline);
        }

        var read = Assert.Single(await ReadAllAsync(client, stream));
        Assert.False(read.User.IsAggregated);
        Assert.Equal("solo", read.User.PartitionKey);
        Assert.Equal("just one"u8.ToArray(), read.User.Data.ToArray());
        Assert.Equal((read.Shard.ShardId, read.SequenceNumber), Assert.Single(observer.Succeeded).Value);
    }

    [Fact]
    public async Task A_run_that_just_fits_the_aggregate_size_is_stored_whole()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        var options = Options(_aws);
        options.AggregationMaxSize = 1_000;
        var observer = new RecordingObserver();

        // The longest run of 10 equal records that fits 1,000 bytes as an aggregate.
        var recordLength = Enumerable.Range(0, 1_000).Last(n => AggregateBuilder.SizeOfRun("k", null, Enumerable.Repeat(n, 10).ToArray()) <= 1_000);
        var lengths = Enumerable.Repeat(recordLength, 10).ToArray();
        var data = Enumerable.Range(0, 10 * recordLength).Select(i => (byte)(i / recordLength)).ToArray();
        await using (var producer = new KinesisProducer(options))
        {
            await Assert.ThrowsAsync<ArgumentException>(async () =>
                await producer.EnqueueRunAsync(stream, "k", new byte[10 * (recordLength + 1)], Enumerable.Repeat(recordLength + 1, 10).ToArray(), observer, 0).AsTask().WaitAsync(Deadline));

            await producer.EnqueueRunAsync(stream, "k", data, lengths, observer, 1).AsTask().WaitAsync(Deadline);
            await producer.FlushAsync().WaitAsync(Deadline);
        }

        var read = await ReadAllAsync(client, stream);
        Assert.Equal(10, read.Count);
        Assert.Single(read.Select(r => r.SequenceNumber).Distinct());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), read.Select(r => r.User.SubSequenceNumber));
        Assert.Equal(data, read.SelectMany(r => r.User.Data.ToArray()));
        Assert.Equal([1L], observer.Succeeded.Keys);
    }

    [Fact]
    public async Task Runs_reaching_AggregationMaxCount_are_stored_each_in_its_own_Kinesis_record()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        var options = Options(_aws);
        options.AggregationMaxCount = 3;
        var observer = new RecordingObserver();
        var runs = Enumerable.Range(0, 5).Select(t => TestRun.Random(new Random(t), t, "k", 3)).ToList();
        await using (var producer = new KinesisProducer(options))
        {
            foreach (var run in runs)
            {
                await producer.EnqueueRunAsync(stream, run.PartitionKey, run.Data, run.Lengths, observer, run.Token).AsTask().WaitAsync(Deadline);
            }

            await producer.FlushAsync().WaitAsync(Deadline);
        }

        var read = await ReadAllAsync(client, stream);
        Assert.Equal(15, read.Count);
        Assert.Equal(5, read.Select(r => r.SequenceNumber).Distinct().Count());
        foreach (var run in runs)
        {
            AssertReadWhole(read, run, observer.Succeeded[run.Token]);
        }
    }

    /// <summary>
    /// Finds the run in the Kinesis record its observer was told about and checks its records are there, whole,
    /// consecutive and in order; returns how many user records it accounted for.
    /// </summary>
    private static int AssertReadWhole(List<ReadRecord> read, TestRun run, (string Shard, string Sequence) outcome)
    {
        var inRecord = read.Where(r => r.Shard.ShardId == outcome.Shard && r.SequenceNumber == outcome.Sequence).ToList();
        Assert.NotEmpty(inRecord);
        var records = run.Records;
        var start = inRecord.FindIndex(r => r.User.Data.Span.SequenceEqual(records[0]));
        Assert.True(start >= 0, $"Run {run.Token} is not in the Kinesis record {outcome.Sequence} on {outcome.Shard} its observer was told about.");
        Assert.True(start + records.Count <= inRecord.Count, $"Run {run.Token} is cut short in its Kinesis record.");
        for (var i = 0; i < records.Count; i++)
        {
            var user = inRecord[start + i].User;
            Assert.Equal(records[i], user.Data.ToArray());
            Assert.Equal(run.PartitionKey, user.PartitionKey);
            Assert.Equal(inRecord[start].User.SubSequenceNumber + i, user.SubSequenceNumber);
            Assert.Equal(records.Count > 1 || inRecord.Count > 1, user.IsAggregated);
        }

        return records.Count;
    }

    /// <summary>A run as a test puts it: a tagged first record (so it can be found), then records of varied sizes.</summary>
    private sealed record TestRun(long Token, string PartitionKey, byte[] Data, int[] Lengths)
    {
        public List<byte[]> Records
        {
            get
            {
                var records = new List<byte[]>(Lengths.Length);
                var offset = 0;
                foreach (var length in Lengths)
                {
                    records.Add(Data[offset..(offset + length)]);
                    offset += length;
                }

                return records;
            }
        }

        /// <summary>Lengths 0 and around the one-byte varint boundary come up often; other records are lowercase letters, never a tag.</summary>
        public static TestRun Random(Random random, long token, string partitionKey, int count)
        {
            var records = new List<byte[]>(count) { Encoding.UTF8.GetBytes($"#r{token}|{new string('t', random.Next(0, 150))}") };
            while (records.Count < count)
            {
                var length = random.Next(6) switch
                {
                    0 => 0,
                    1 => random.Next(126, 130),
                    _ => random.Next(1, 200),
                };
                var record = new byte[length];
                for (var i = 0; i < length; i++)
                {
                    record[i] = (byte)('a' + random.Next(26));
                }

                records.Add(record);
            }

            return new TestRun(token, partitionKey, [.. records.SelectMany(r => r)], [.. records.Select(r => r.Length)]);
        }
    }

    /// <summary>Sums one producer counter's measurements for one stream, from any producer in the process.</summary>
    private sealed class StreamCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly string _stream;
        private long _total;

        public StreamCounter(string instrument, string stream)
        {
            _stream = stream;
            _listener.InstrumentPublished = (published, listener) =>
            {
                if (published.Meter.Name == "Kinesis.Clients.Producer" && published.Name == instrument)
                {
                    listener.EnableMeasurementEvents(published);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "StreamName" && (string?)tag.Value == _stream)
                    {
                        Interlocked.Add(ref _total, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Total => Interlocked.Read(ref _total);

        public void Dispose() => _listener.Dispose();
    }
}
