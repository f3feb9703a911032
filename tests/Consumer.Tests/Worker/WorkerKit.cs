using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Streams, options and waits shared by the worker tests.</summary>
internal sealed class WorkerKit : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Failover = TimeSpan.FromSeconds(3);

    public WorkerKit(LocalAws aws)
    {
        Aws = aws;
        Kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = aws.KinesisEndpoint, Region = aws.Region, Credentials = aws.Credentials });
        Application = LocalAws.UniqueName("app");
    }

    public LocalAws Aws { get; }

    public KinesisClient Kinesis { get; }

    public string Application { get; }

    public string Stream { get; private set; } = "";

    public async Task<string> CreateStreamAsync(int shards)
    {
        Stream = LocalAws.UniqueName("consumer");
        await Kinesis.CreateStreamAsync(Stream, shards).WaitAsync(Deadline);
        await Kinesis.WaitForStreamActiveAsync(Stream, Deadline).WaitAsync(Deadline);
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

    public void Dispose() => Kinesis.Dispose();
}
