using System.Text;
using Amazon.Runtime;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Producer.Tests.Firehose;

/// <summary>
/// The Firehose producer against the loopback Firehose: every record arrives byte for byte or is reported failed,
/// through throttling, partial failures, faults, joining and shutdown.
/// </summary>
public sealed class FirehoseProducerTests : IAsyncLifetime
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(60);
    private LoopbackFirehose _server = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackFirehose.StartAsync();
        _server.CreateDeliveryStream("logs");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task Every_record_arrives_byte_for_byte_and_PutAsync_returns_its_record_id()
    {
        await using var producer = Producer();
        var records = Enumerable.Range(0, 1200).Select(i => Encoding.UTF8.GetBytes($"line {i} ünïcode\n")).ToList();
        records.Add([]);
        records.Add([0, 255, 10, 13]);

        var results = await Task.WhenAll(records.Select(r => producer.PutAsync("logs", r))).WaitAsync(TestTimeout);

        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.RecordId)));
        Assert.All(results, r => Assert.False(r.IsJoined));
        Assert.Equal(Sorted(records), Sorted(_server.Records("logs")));
        Assert.Equal(0, producer.OutstandingRecords);
    }

    [Fact(Timeout = 60_000)]
    public async Task Throttled_entries_are_retried_until_every_record_arrives_once()
    {
        _server.SetQuota(new FirehoseQuota(RecordsPerSecond: 400, RequestsPerSecond: 20), "logs");
        await using var producer = Producer(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(20));
        var records = Enumerable.Range(0, 1000).Select(i => Encoding.UTF8.GetBytes($"{i}\n")).ToList();

        var results = await Task.WhenAll(records.Select(r => producer.PutAsync("logs", r))).WaitAsync(TestTimeout);

        Assert.True(_server.ThrottledEntries("logs") > 0, "the quota never throttled, so the test proved nothing");
        Assert.Contains(results, r => r.Attempts.Count > 1 && r.Attempts[0].ErrorCode == "ServiceUnavailableException");
        Assert.Equal(Sorted(records), Sorted(_server.Records("logs")));
    }

    [Fact(Timeout = 60_000)]
    public async Task Partial_failures_and_faults_are_retried_only_for_the_failed_entries()
    {
        await using var producer = Producer(o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(10));
        _server.FailNext(1, FirehoseFault.PartialFailure);
        _server.FailNext(1, FirehoseFault.InternalFailure);
        _server.FailNext(1, FirehoseFault.Reset);
        var records = Enumerable.Range(0, 10).Select(i => Encoding.UTF8.GetBytes($"{i}\n")).ToList();

        var results = await Task.WhenAll(records.Select(r => producer.PutAsync("logs", r))).WaitAsync(TestTimeout);

        Assert.Equal(Sorted(records), Sorted(_server.Records("logs")));
        Assert.Contains(results, r => r.Attempts.Count > 1);
    }

    [Fact(Timeout = 60_000)]
    public async Task Every_request_and_retry_is_reported_with_what_it_carried_and_how_it_ended()
    {
        var reports = new System.Collections.Concurrent.ConcurrentQueue<PutRecordsRequestOutcome>();
        await using var producer = Producer(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RecordMaxBufferedTime = TimeSpan.FromMilliseconds(500); // one batch, so the partial failure meets many entries
            o.OnPutRecordBatchRequest = reports.Enqueue;
        });
        _server.FailNext(2, FirehoseFault.InternalFailure);
        _server.FailNext(1, FirehoseFault.PartialFailure);
        var records = Enumerable.Range(0, 40).Select(i => Encoding.UTF8.GetBytes($"line {i}\n")).ToList();

        await Task.WhenAll(records.Select(r => producer.PutAsync("logs", r))).WaitAsync(TestTimeout);

        var all = reports.ToList();
        Assert.All(all, r => Assert.Equal("logs", r.StreamName));
        Assert.Equal(2, all.Count(r => r.RequestErrorCode is not null));
        Assert.All(all.Where(r => r.RequestErrorCode is not null), r => Assert.Equal(0, r.UserRecordsStored + r.UserRecordsFailed));
        Assert.True(all.Sum(r => r.UserRecordsFailed) > 0, "the partial failure refused no entry");
        Assert.Equal(records.Count, all.Sum(r => r.UserRecordsStored));
        Assert.Equal(records.Sum(r => r.Length), all.Sum(r => r.UserDataBytesStored));
        Assert.All(all.Where(r => r.RequestErrorCode is null), r => Assert.Equal(r.UserRecords, r.UserRecordsStored + r.UserRecordsFailed));
    }

    [Fact(Timeout = 60_000)]
    public async Task Joined_records_arrive_as_the_agent_joins_lines_and_each_caller_hears_the_shared_record_id()
    {
        await using var producer = Producer(o =>
        {
            o.AggregatedRecordSizeBytes = 20;
            o.RecordMaxBufferedTime = TimeSpan.FromSeconds(5);
        });
        string[] lines = ["aaaa\n", "bbbb\n", "cccc\n", "dddd\n", "a-line-longer-than-twenty\n", "eeee\n"];

        var puts = lines.Select(l => producer.PutAsync("logs", Encoding.ASCII.GetBytes(l))).ToList();
        await producer.FlushAsync().WaitAsync(TestTimeout);
        var results = await Task.WhenAll(puts).WaitAsync(TestTimeout);

        Assert.Equal(["aaaa\nbbbb\ncccc\ndddd\n", "a-line-longer-than-twenty\n", "eeee\n"], _server.Records("logs").Select(r => Encoding.ASCII.GetString(r)));
        Assert.Single(results.Take(4).Select(r => r.RecordId).Distinct());
        Assert.True(results[0].IsJoined);
        Assert.False(results[4].IsJoined);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_missing_delivery_stream_fails_the_records_for_good_to_the_observer()
    {
        var observer = new RecordingObserver();
        await using var producer = Producer();

        await producer.EnqueueAsync("absent", "x\n"u8.ToArray(), observer, 7);
        await producer.FlushAsync().WaitAsync(TestTimeout);

        var (token, failure) = await observer.FirstFailure.Task.WaitAsync(TestTimeout);
        Assert.Equal(7, token);
        Assert.Equal("ResourceNotFoundException", failure.ErrorCode);
        Assert.Equal("absent", failure.StreamName);
        Assert.Equal("x\n"u8.ToArray(), failure.Data.ToArray());
        Assert.Single(failure.Attempts);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_observer_hears_the_delivery_stream_and_record_id_of_each_stored_record()
    {
        var observer = new RecordingObserver();
        await using var producer = Producer();

        for (var i = 0; i < 50; i++)
        {
            await producer.EnqueueAsync("logs", Encoding.ASCII.GetBytes($"{i}\n"), observer, i);
        }

        await producer.FlushAsync().WaitAsync(TestTimeout);

        Assert.Equal(50, observer.Succeeded.Count);
        Assert.All(observer.Succeeded.Values, v => Assert.Equal("logs", v.Shard));
        Assert.Equal(0, observer.Duplicates);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_record_the_service_never_answers_expires_at_its_ttl()
    {
        _server.FailNext(100, FirehoseFault.Hang);
        await using var producer = Producer(o =>
        {
            o.RecordTtl = TimeSpan.FromMilliseconds(500);
            o.RequestTimeout = TimeSpan.FromMilliseconds(200);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        });

        var ex = await Assert.ThrowsAsync<RecordFailedException>(() => producer.PutAsync("logs", "late\n"u8.ToArray()).WaitAsync(TestTimeout));

        Assert.Equal(RecordFailure.Expired, ex.Failure.ErrorCode);
        Assert.NotEmpty(ex.Failure.Attempts);
        Assert.Empty(_server.Records("logs"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_full_buffer_makes_callers_wait_or_refuses_when_asked_to()
    {
        // Answers are held on a clock only the test moves, so the buffer stays full for exactly as long as needed.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await LoopbackFirehose.StartAsync(timeProvider: clock);
        server.CreateDeliveryStream("logs");
        server.Latency = TimeSpan.FromSeconds(1);
        await using var waiting = Producer(o => { o.MaxBufferedRecords = 2; o.MaxBufferedBytes = 2 * 1024 * 1024; }, server);
        await using var refusing = Producer(o => { o.MaxBufferedRecords = 2; o.MaxBufferedBytes = 2 * 1024 * 1024; o.FailWhenBufferFull = true; }, server);

        await waiting.EnqueueAsync("logs", "1\n"u8.ToArray());
        await waiting.EnqueueAsync("logs", "2\n"u8.ToArray());
        var third = waiting.EnqueueAsync("logs", "3\n"u8.ToArray()).AsTask();
        await refusing.EnqueueAsync("logs", "a\n"u8.ToArray());
        await refusing.EnqueueAsync("logs", "b\n"u8.ToArray());
        await Assert.ThrowsAsync<ProducerBufferFullException>(() => refusing.EnqueueAsync("logs", "c\n"u8.ToArray()).AsTask());
        await server.WaitForAttemptsAsync(2, TestTimeout);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, waiting.OutstandingRecords);

        server.Latency = TimeSpan.Zero;
        clock.Advance(TimeSpan.FromSeconds(1));
        await third.WaitAsync(TestTimeout);
        await waiting.FlushAsync().WaitAsync(TestTimeout);
        await refusing.FlushAsync().WaitAsync(TestTimeout);
        Assert.Equal(5, server.Records("logs").Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task Records_larger_than_1000_KiB_are_refused_at_the_call()
    {
        await using var producer = Producer();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => producer.PutAsync("logs", new byte[(1000 * 1024) + 1]));

        Assert.Equal("data", ex.ParamName);
    }

    private FirehoseProducer Producer(Action<FirehoseProducerOptions>? configure = null, LoopbackFirehose? server = null)
    {
        var options = new FirehoseProducerOptions
        {
            FirehoseEndpoint = (server ?? _server).Endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            MetricsLevel = MetricsLevel.None,
            RecordMaxBufferedTime = TimeSpan.FromMilliseconds(20),
        };
        configure?.Invoke(options);
        return new FirehoseProducer(options);
    }

    private static List<string> Sorted(IEnumerable<byte[]> records) => records.Select(Convert.ToHexString).Order(StringComparer.Ordinal).ToList();
}
