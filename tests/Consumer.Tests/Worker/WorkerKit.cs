using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Streams, options and waits shared by the worker tests; disposing deletes the stream and the lease table.</summary>
internal sealed class WorkerKit : IAsyncDisposable
{
    private readonly TestTable _application;
    private TestStream? _stream;

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Failover = TimeSpan.FromSeconds(3);

    public WorkerKit(LocalAws aws)
    {
        Aws = aws;
        Kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = aws.KinesisEndpoint, Region = aws.Region, Credentials = aws.Credentials });
        _application = aws.NewTable("app");
    }

    public LocalAws Aws { get; }

    public KinesisClient Kinesis { get; }

    /// <summary>The application name, which is also the lease table's name.</summary>
    public string Application => _application.Name;

    public string Stream { get; private set; } = "";

    /// <summary>The test's stream; <paramref name="peakShards"/>: the most shards open at once when the test reshards it.</summary>
    public async Task<string> CreateStreamAsync(int shards, int? peakShards = null)
    {
        _stream = await Aws.NewStreamAsync(shards, "consumer", peakShards, through: Kinesis).WaitAsync(Deadline);
        Stream = _stream.Name;
        return Stream;
    }

    public KinesisConsumerOptions Options(string worker, Uri? kinesisEndpoint = null) => new()
    {
        ApplicationName = Application,
        StreamName = Stream,
        WorkerId = worker,
        InitialPosition = InitialPosition.TrimHorizon,
        FailoverTime = Failover,
        IdleTimeBetweenReads = TimeSpan.FromMilliseconds(200),
        ShardSyncInterval = TimeSpan.FromSeconds(2),
        ParentShardPollInterval = TimeSpan.FromSeconds(1),
        ShutdownTimeout = TimeSpan.FromSeconds(2),
        KinesisEndpoint = kinesisEndpoint ?? Aws.KinesisEndpoint,
        DynamoDbEndpoint = Aws.DynamoDbEndpoint,
        Region = Aws.Region,
        Credentials = Aws.Credentials,
        MetricsLevel = global::Kinesis.Clients.Metrics.MetricsLevel.None,
    };

    /// <summary>Plain records with data <c>{prefix}{i}</c> and partition key <c>k{i}</c>.</summary>
    public async Task<List<string>> PutPlainAsync(string prefix, int count)
    {
        var data = Enumerable.Range(0, count).Select(i => $"{prefix}{i}").ToList();
        foreach (var chunk in data.Chunk(100))
        {
            var reply = await Kinesis.PutRecordsAsync(Stream, chunk.Select(d => new PutRecordsEntry("k" + d, Encoding.UTF8.GetBytes(d))).ToList()).WaitAsync(Deadline);
            Assert.Equal(0, reply.FailedRecordCount);
        }

        return data;
    }

    /// <summary>One KPL aggregate per partition key group: <paramref name="perAggregate"/> sub-records each.</summary>
    public async Task<List<string>> PutAggregatesAsync(string prefix, int aggregates, int perAggregate)
    {
        var all = new List<string>();
        var entries = new List<PutRecordsEntry>();
        for (var a = 0; a < aggregates; a++)
        {
            using var builder = new AggregateBuilder();
            for (var s = 0; s < perAggregate; s++)
            {
                var d = $"{prefix}{a}.{s}";
                Assert.True(builder.TryAdd($"k{prefix}{a}.{s}", null, Encoding.UTF8.GetBytes(d)));
                all.Add(d);
            }

            entries.Add(new PutRecordsEntry(builder.KinesisPartitionKey, builder.ToKinesisData(), builder.KinesisExplicitHashKey));
        }

        var reply = await Kinesis.PutRecordsAsync(Stream, entries).WaitAsync(Deadline);
        Assert.Equal(0, reply.FailedRecordCount);
        return all;
    }

    public DynamoDbLeaseStore LeaseStore(Amazon.DynamoDBv2.AmazonDynamoDBClient dynamo) =>
        new(dynamo, new LeaseTableOptions { TableName = Application });

    public static string Text(ConsumerRecord record) => Encoding.UTF8.GetString(record.Data.Span);

    public static Task WaitUntilAsync(Func<bool> condition, Func<string> describe, TimeSpan? within = null) =>
        Eventually.HoldsAsync(condition, describe, within ?? Deadline);

    public static Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> describe, TimeSpan? within = null) =>
        Eventually.HoldsAsync(condition, describe, within ?? Deadline);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_stream is not null)
            {
                await _stream.DisposeAsync();
            }

            await _application.DisposeAsync();
        }
        finally
        {
            Kinesis.Dispose();
        }
    }
}
