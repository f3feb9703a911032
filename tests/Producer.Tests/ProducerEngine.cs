using System.Collections.Concurrent;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>Helpers for tests that produce into kinesis-mock and read back what arrived.</summary>
internal static class ProducerEngine
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public static KinesisClient Client(LocalAws aws, WireProtocol protocol = WireProtocol.Cbor) => new(new KinesisClientOptions
    {
        ServiceUrl = aws.KinesisEndpoint,
        Region = aws.Region,
        Credentials = aws.Credentials,
        Protocol = protocol,
    });

    public static KinesisProducerOptions Options(LocalAws aws, Uri? endpoint = null) => new()
    {
        // Tests never upload metrics to a real CloudWatch; the metrics tests point at the loopback endpoint.
        MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
        KinesisEndpoint = endpoint ?? aws.KinesisEndpoint,
        Region = aws.Region,
        Credentials = aws.Credentials,

        // The tests count what the stream stored. kinesis-mock on a loaded machine can take longer than the 6 s default to
        // answer a PutRecords it has already stored; the retry after the timeout then stores the records again, which the
        // producer rightly allows (at least once) but these counts do not expect.
        RequestTimeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>A new stream, deleted when disposed (<c>await using</c>); see <see cref="LocalAws.NewStreamAsync"/>.</summary>
    public static async Task<TestStream> NewStreamAsync(KinesisClient client, int shards, int? peakShards = null)
    {
        var aws = await LocalAws.GetAsync().WaitAsync(Deadline);
        return await aws.NewStreamAsync(shards, "producer", peakShards, through: client);
    }

    /// <summary>Every user record in the stream (de-aggregated), with the shard and sequence it was read at.</summary>
    public static async Task<List<ReadRecord>> ReadAllAsync(KinesisClient client, string stream)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var read = await StreamContents.ReadWithShardsAsync(client, stream, deadline.Token);
        return read.ConvertAll(r => new ReadRecord(r.Shard, r.SequenceNumber, r.User));
    }

    public static ConcurrentQueue<RecordFailure> CollectFailures(KinesisProducerOptions options)
    {
        var failures = new ConcurrentQueue<RecordFailure>();
        options.OnRecordFailed = failures.Enqueue;
        return failures;
    }
}

internal sealed record ReadRecord(Shard Shard, string SequenceNumber, DeaggregatedRecord User);
