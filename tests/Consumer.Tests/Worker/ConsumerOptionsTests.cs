using Amazon.DynamoDBv2;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>The consumer's options: the KCL's names and defaults, and a bad value refused by name when the consumer is built.</summary>
public sealed class ConsumerOptionsTests
{
    private const string Arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders";

    private static KinesisConsumerOptions Valid() => new() { ApplicationName = "orders-app", StreamName = "orders" };

    [Fact]
    public void The_lease_options_have_the_KCL_defaults()
    {
        var options = Valid();

        Assert.Null(options.LeaseTableName);
        Assert.Equal("orders-app", options.EffectiveLeaseTableName);
        Assert.Equal(BillingMode.PAY_PER_REQUEST, options.BillingMode);
        Assert.Equal((10, 10), (options.InitialLeaseTableReadCapacity, options.InitialLeaseTableWriteCapacity));
        Assert.Equal((int.MaxValue, 1), (options.MaxLeasesForWorker, options.MaxLeasesToStealAtOneTime));
        Assert.False(options.LeaseTableDeletionProtectionEnabled);
        Assert.Empty(options.LeaseTableTags);
        Assert.Null(options.StreamArn);
        Assert.Null(options.DynamoDbClient);
        Assert.Null(options.KinesisClient);
    }

    [Fact]
    public void The_lease_cleanup_options_have_the_KCL_defaults()
    {
        var options = Valid();

        Assert.True(options.CleanupLeasesUponShardCompletion);
        Assert.Equal(TimeSpan.FromMinutes(1), options.LeaseCleanupInterval);
        Assert.Equal(TimeSpan.FromMinutes(5), options.CompletedLeaseCleanupInterval);
        Assert.Equal(TimeSpan.FromMinutes(30), options.GarbageLeaseCleanupInterval);
    }

    public static TheoryData<string, Action<KinesisConsumerOptions>, string> BadOptions => new()
    {
        { "table name too short", o => o.LeaseTableName = "ab", nameof(KinesisConsumerOptions.LeaseTableName) },
        { "table name with a slash", o => o.LeaseTableName = "orders/leases", nameof(KinesisConsumerOptions.LeaseTableName) },
        { "billing mode DynamoDB does not have", o => o.BillingMode = new BillingMode("FREE"), nameof(KinesisConsumerOptions.BillingMode) },
        { "no read capacity", o => { o.BillingMode = BillingMode.PROVISIONED; o.InitialLeaseTableReadCapacity = 0; }, nameof(KinesisConsumerOptions.InitialLeaseTableReadCapacity) },
        { "write capacity beyond a table's", o => { o.BillingMode = BillingMode.PROVISIONED; o.InitialLeaseTableWriteCapacity = 40_001; }, nameof(KinesisConsumerOptions.InitialLeaseTableWriteCapacity) },
        { "no leases at all", o => o.MaxLeasesForWorker = 0, nameof(KinesisConsumerOptions.MaxLeasesForWorker) },
        { "stealing nothing", o => o.MaxLeasesToStealAtOneTime = 0, nameof(KinesisConsumerOptions.MaxLeasesToStealAtOneTime) },
        { "an ARN that is not a stream's", o => { o.StreamName = ""; o.StreamArn = "arn:aws:s3:::bucket"; }, nameof(KinesisConsumerOptions.StreamArn) },
        { "an ARN naming another stream", o => o.StreamArn = Arn.Replace("orders", "payments", StringComparison.Ordinal), nameof(KinesisConsumerOptions.StreamArn) },
        { "an ARN in another region", o => { o.StreamArn = Arn; o.Region = "us-east-1"; }, nameof(KinesisConsumerOptions.StreamArn) },
        { "neither name nor ARN", o => o.StreamName = "", nameof(KinesisConsumerOptions.StreamName) },
        { "a reserved tag", o => o.LeaseTableTags["aws:team"] = "x", nameof(KinesisConsumerOptions.LeaseTableTags) },
        { "no lease-taking interval", o => o.LeaseTakingInterval = TimeSpan.Zero, nameof(KinesisConsumerOptions.LeaseTakingInterval) },
        { "listing rarer than the KCL's", o => o.LeaseTakingInterval = TimeSpan.FromSeconds(21), nameof(KinesisConsumerOptions.LeaseTakingInterval) },
        { "an application name too short for a table", o => o.ApplicationName = "ab", nameof(KinesisConsumerOptions.ApplicationName) },
        { "an empty worker id", o => o.WorkerId = " ", nameof(KinesisConsumerOptions.WorkerId) },
        { "no failover time", o => o.FailoverTime = TimeSpan.Zero, nameof(KinesisConsumerOptions.FailoverTime) },
        { "renewing less often than half the failover time", o => o.LeaseRenewalInterval = TimeSpan.FromSeconds(6), nameof(KinesisConsumerOptions.LeaseRenewalInterval) },
        { "no parent poll interval", o => o.ParentShardPollInterval = TimeSpan.Zero, nameof(KinesisConsumerOptions.ParentShardPollInterval) },
        { "more records per read than GetRecords allows", o => o.MaxRecords = 10_001, nameof(KinesisConsumerOptions.MaxRecords) },
        { "reading a shard more than 5 times a second", o => o.IdleTimeBetweenReads = TimeSpan.FromMilliseconds(100), nameof(KinesisConsumerOptions.IdleTimeBetweenReads) },
        { "a retrieval mode that does not exist", o => o.RetrievalMode = (RetrievalMode)7, nameof(KinesisConsumerOptions.RetrievalMode) },
        { "no lease cleanup interval", o => o.LeaseCleanupInterval = TimeSpan.Zero, nameof(KinesisConsumerOptions.LeaseCleanupInterval) },
        { "a negative completed-lease interval", o => o.CompletedLeaseCleanupInterval = TimeSpan.FromMinutes(-5), nameof(KinesisConsumerOptions.CompletedLeaseCleanupInterval) },
        { "an infinite garbage-lease interval", o => o.GarbageLeaseCleanupInterval = Timeout.InfiniteTimeSpan, nameof(KinesisConsumerOptions.GarbageLeaseCleanupInterval) },
        { "metrics uploaded more than once a second", o => o.MetricsBufferTime = TimeSpan.FromMilliseconds(500), nameof(KinesisConsumerOptions.MetricsBufferTime) },
        { "no room for metrics", o => o.MetricsMaxQueueSize = 0, nameof(KinesisConsumerOptions.MetricsMaxQueueSize) },
        { "a dimension the KCL does not have", o => o.MetricsEnabledDimensions = new HashSet<string> { "StreamName" }, nameof(KinesisConsumerOptions.MetricsEnabledDimensions) },
        { "an empty metrics namespace", o => o.MetricsNamespace = "", nameof(KinesisConsumerOptions.MetricsNamespace) },
    };

    [Fact]
    public void The_metrics_options_have_the_KCL_defaults()
    {
        var options = Valid();

        Assert.Equal(Kinesis.Clients.Metrics.MetricsLevel.Detailed, options.MetricsLevel);
        Assert.Null(options.MetricsNamespace);
        Assert.Equal("orders-app", options.EffectiveMetricsNamespace);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MetricsBufferTime);
        Assert.Equal(10_000, options.MetricsMaxQueueSize);
        Assert.Equal(["ALL"], options.MetricsEnabledDimensions);
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_bad_option_is_refused_by_name(string because, Action<KinesisConsumerOptions> change, string name)
    {
        var options = Valid();
        change(options);

        var error = Assert.Throws<ArgumentException>(() => new KinesisConsumer(options, new RecordingFactory(new ProcessingLog(), "w")));

        Assert.True(error.ParamName == name, $"{because}: {error.ParamName}: {error.Message}");
    }

    [Fact]
    public void A_stream_given_by_ARN_alone_or_with_its_own_name_is_accepted()
    {
        var byArn = Valid();
        byArn.StreamName = "";
        byArn.StreamArn = Arn;
        var both = Valid();
        both.StreamArn = Arn;
        both.Region = "eu-west-1";

        _ = new KinesisConsumer(byArn, new RecordingFactory(new ProcessingLog(), "w"));
        _ = new KinesisConsumer(both, new RecordingFactory(new ProcessingLog(), "w"));

        Assert.Equal("orders", byArn.StreamLabel);
    }
}
