namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class ProducerOptionsValidationTests
{
    private const int MiB = 1024 * 1024;

    private static readonly Dictionary<string, (string Option, Action<KinesisProducerOptions> Set)> Invalid = new()
    {
        ["RecordMaxBufferedTime negative"] = (nameof(KinesisProducerOptions.RecordMaxBufferedTime), o => o.RecordMaxBufferedTime = TimeSpan.FromMilliseconds(-5)),
        ["RecordMaxBufferedTime infinite"] = (nameof(KinesisProducerOptions.RecordMaxBufferedTime), o => o.RecordMaxBufferedTime = System.Threading.Timeout.InfiniteTimeSpan),
        ["RecordTtl zero"] = (nameof(KinesisProducerOptions.RecordTtl), o => o.RecordTtl = TimeSpan.Zero),
        ["RecordTtl below the KPL's 100 ms"] = (nameof(KinesisProducerOptions.RecordTtl), o => (o.RecordMaxBufferedTime, o.RecordTtl) = (TimeSpan.Zero, TimeSpan.FromMilliseconds(99))),
        ["RequestTimeout over 10 min"] = (nameof(KinesisProducerOptions.RequestTimeout), o => o.RequestTimeout = TimeSpan.FromMinutes(10) + TimeSpan.FromTicks(1)),
        ["ConnectTimeout below 100 ms"] = (nameof(KinesisProducerOptions.ConnectTimeout), o => o.ConnectTimeout = TimeSpan.FromMilliseconds(99)),
        ["ConnectTimeout over 5 min"] = (nameof(KinesisProducerOptions.ConnectTimeout), o => o.ConnectTimeout = TimeSpan.FromMinutes(5) + TimeSpan.FromTicks(1)),
        ["MetricsUploadDelay over 60 s"] = (nameof(KinesisProducerOptions.MetricsUploadDelay), o => o.MetricsUploadDelay = TimeSpan.FromSeconds(61)),
        ["MetricsUploadDelay below 1 s"] = (nameof(KinesisProducerOptions.MetricsUploadDelay), o => o.MetricsUploadDelay = TimeSpan.FromMilliseconds(999)),
        ["MetricsNamespace under AWS/"] = (nameof(KinesisProducerOptions.MetricsNamespace), o => o.MetricsNamespace = "AWS/Kinesis"),
        ["ProxyPort zero"] = (nameof(KinesisProducerOptions.ProxyPort), o => o.ProxyPort = 0),
        ["ProxyPort 65536"] = (nameof(KinesisProducerOptions.ProxyPort), o => o.ProxyPort = 65_536),
        ["ProxyHost not a host"] = (nameof(KinesisProducerOptions.ProxyHost), o => o.ProxyHost = "proxy host"),
        ["ProxyHost with another scheme"] = (nameof(KinesisProducerOptions.ProxyHost), o => o.ProxyHost = "socks9://proxy"),
        ["ProxyPassword without ProxyHost"] = (nameof(KinesisProducerOptions.ProxyHost), o => o.ProxyPassword = "secret"),
        ["RecordTtl equal to RecordMaxBufferedTime"] = (nameof(KinesisProducerOptions.RecordTtl), o => o.RecordTtl = o.RecordMaxBufferedTime),
        ["RecordTtl below RecordMaxBufferedTime"] = (nameof(KinesisProducerOptions.RecordTtl), o => o.RecordTtl = TimeSpan.FromMilliseconds(50)),
        ["RecordMaxBufferedTime raised to RecordTtl"] = (nameof(KinesisProducerOptions.RecordTtl), o => o.RecordMaxBufferedTime = o.RecordTtl),
        ["AggregationMaxSize below 64"] = (nameof(KinesisProducerOptions.AggregationMaxSize), o => o.AggregationMaxSize = 63),
        ["AggregationMaxSize zero"] = (nameof(KinesisProducerOptions.AggregationMaxSize), o => o.AggregationMaxSize = 0),
        ["AggregationMaxSize over 1 MiB"] = (nameof(KinesisProducerOptions.AggregationMaxSize), o => o.AggregationMaxSize = MiB + 1),
        ["AggregationMaxCount zero"] = (nameof(KinesisProducerOptions.AggregationMaxCount), o => o.AggregationMaxCount = 0),
        ["CollectionMaxCount zero"] = (nameof(KinesisProducerOptions.CollectionMaxCount), o => o.CollectionMaxCount = 0),
        ["CollectionMaxCount 501"] = (nameof(KinesisProducerOptions.CollectionMaxCount), o => o.CollectionMaxCount = 501),
        ["CollectionMaxSize over 5 MiB"] = (nameof(KinesisProducerOptions.CollectionMaxSize), o => o.CollectionMaxSize = (5 * MiB) + 1),
        ["CollectionMaxSize below one aggregate"] = (nameof(KinesisProducerOptions.CollectionMaxSize), o => o.CollectionMaxSize = 52_223),
        ["RateLimit zero"] = (nameof(KinesisProducerOptions.RateLimit), o => o.RateLimit = 0),
        ["RateLimit negative"] = (nameof(KinesisProducerOptions.RateLimit), o => o.RateLimit = -150),
        ["RequestTimeout zero"] = (nameof(KinesisProducerOptions.RequestTimeout), o => o.RequestTimeout = TimeSpan.Zero),
        ["MaxConnections zero"] = (nameof(KinesisProducerOptions.MaxConnections), o => o.MaxConnections = 0),
        ["MaxConnections 257"] = (nameof(KinesisProducerOptions.MaxConnections), o => o.MaxConnections = 257),
        ["MaxUserRecordSize zero"] = (nameof(KinesisProducerOptions.MaxUserRecordSize), o => o.MaxUserRecordSize = 0),
        ["MaxUserRecordSize over 10 MiB"] = (nameof(KinesisProducerOptions.MaxUserRecordSize), o => o.MaxUserRecordSize = (10 * MiB) + 1),
        ["MaxBufferedBytes below MaxUserRecordSize"] = (nameof(KinesisProducerOptions.MaxBufferedBytes), o => o.MaxBufferedBytes = MiB - 1),
        ["MaxUserRecordSize raised above MaxBufferedBytes"] = (nameof(KinesisProducerOptions.MaxBufferedBytes), o =>
        {
            o.MaxBufferedBytes = 5 * MiB;
            o.MaxUserRecordSize = 10 * MiB;
        }
        ),
        ["MaxBufferedRecords zero"] = (nameof(KinesisProducerOptions.MaxBufferedRecords), o => o.MaxBufferedRecords = 0),
        ["Compression null"] = (nameof(KinesisProducerOptions.Compression), o => o.Compression = null!),
        ["Compression Zstd level 23"] = (nameof(KinesisProducerOptions.Compression), o => o.Compression = Kinesis.Clients.Aggregation.RecordCompression.Zstd(23)),
        ["Compression Gzip level 0"] = (nameof(KinesisProducerOptions.Compression), o => o.Compression = Kinesis.Clients.Aggregation.RecordCompression.Gzip(0)),
        ["Compression unknown algorithm"] = (nameof(KinesisProducerOptions.Compression), o => o.Compression = new((Kinesis.Clients.Aggregation.CompressionAlgorithm)9, 1)),
        ["RetryBaseDelay zero"] = (nameof(KinesisProducerOptions.RetryBaseDelay), o => o.RetryBaseDelay = TimeSpan.Zero),
        ["RetryMaxDelay below RetryBaseDelay"] = (nameof(KinesisProducerOptions.RetryMaxDelay), o => o.RetryMaxDelay = TimeSpan.FromMilliseconds(99)),
        ["RetryBaseDelay raised above RetryMaxDelay"] = (nameof(KinesisProducerOptions.RetryMaxDelay), o => o.RetryBaseDelay = TimeSpan.FromSeconds(6)),
        ["ShutdownTimeout zero"] = (nameof(KinesisProducerOptions.ShutdownTimeout), o => o.ShutdownTimeout = TimeSpan.Zero),
        ["ShutdownTimeout negative"] = (nameof(KinesisProducerOptions.ShutdownTimeout), o => o.ShutdownTimeout = TimeSpan.FromSeconds(-1)),
        ["ShardMapRefreshInterval zero"] = (nameof(KinesisProducerOptions.ShardMapRefreshInterval), o => o.ShardMapRefreshInterval = TimeSpan.Zero),
        ["Protocol undefined"] = (nameof(KinesisProducerOptions.Protocol), o => o.Protocol = (WireProtocol)99),
        ["TimeProvider null"] = (nameof(KinesisProducerOptions.TimeProvider), o => o.TimeProvider = null!),
    };

    private static readonly Dictionary<string, Action<KinesisProducerOptions>> ValidEdges = new()
    {
        ["AggregationMaxSize 64"] = o => o.AggregationMaxSize = 64,
        ["AggregationMaxSize 1 MiB"] = o => o.AggregationMaxSize = MiB,
        ["AggregationMaxCount 1"] = o => o.AggregationMaxCount = 1,
        ["CollectionMaxCount 1"] = o => o.CollectionMaxCount = 1,
        ["CollectionMaxCount 500"] = o => o.CollectionMaxCount = 500,
        ["CollectionMaxSize 52224"] = o => o.CollectionMaxSize = 52_224,
        ["CollectionMaxSize 5 MiB"] = o => o.CollectionMaxSize = 5 * MiB,
        ["RateLimit 1"] = o => o.RateLimit = 1,
        ["RateLimit int.MaxValue"] = o => o.RateLimit = int.MaxValue,
        ["RecordMaxBufferedTime zero"] = o => o.RecordMaxBufferedTime = TimeSpan.Zero,
        ["RecordTtl 100 ms"] = o => (o.RecordMaxBufferedTime, o.RecordTtl) = (TimeSpan.Zero, TimeSpan.FromMilliseconds(100)),
        ["AggregationMaxCount long.MaxValue"] = o => o.AggregationMaxCount = long.MaxValue,
        ["ConnectTimeout 100 ms"] = o => o.ConnectTimeout = TimeSpan.FromMilliseconds(100),
        ["MetricsUploadDelay 1 s"] = o => o.MetricsUploadDelay = TimeSpan.FromSeconds(1),
        ["ProxyHost with credentials"] = o => (o.ProxyHost, o.ProxyUserName, o.ProxyPassword) = ("10.0.0.1", "u", "p"),
        ["VerifyCertificate off"] = o => o.VerifyCertificate = false,
        ["MaxConnections 1"] = o => o.MaxConnections = 1,
        ["MaxConnections 256"] = o => o.MaxConnections = 256,
        ["MaxUserRecordSize 10 MiB"] = o => o.MaxUserRecordSize = 10 * MiB,
        ["MaxBufferedBytes equal to MaxUserRecordSize"] = o => o.MaxBufferedBytes = o.MaxUserRecordSize,
        ["MaxBufferedRecords 1"] = o => o.MaxBufferedRecords = 1,
        ["RetryMaxDelay equal to RetryBaseDelay"] = o => o.RetryMaxDelay = o.RetryBaseDelay,
        ["RecordTtl one tick above RecordMaxBufferedTime"] = o => o.RecordTtl = o.RecordMaxBufferedTime + TimeSpan.FromTicks(1),
        ["Protocol Json"] = o => o.Protocol = WireProtocol.Json,
    };

    public static TheoryData<string> InvalidCases => [.. Invalid.Keys];

    public static TheoryData<string> ValidEdgeCases => [.. ValidEdges.Keys];

    private static KinesisProducerOptions Offline() => new()
    {
        MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
        Region = "us-east-1",
        KinesisEndpoint = new Uri("http://127.0.0.1:1/"),
        Credentials = new Amazon.Runtime.BasicAWSCredentials("a", "b"),
    };

    [Fact]
    public void The_defaults_validate()
    {
        new KinesisProducerOptions().Validate();
    }

    [Fact]
    public async Task A_producer_builds_from_the_defaults()
    {
        var producer = new KinesisProducer(Offline());

        await producer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void An_invalid_value_throws_ArgumentException_naming_the_option(string @case)
    {
        var (option, set) = Invalid[@case];
        var options = Offline();
        set(options);

        var ex = Assert.ThrowsAny<ArgumentException>(options.Validate);

        Assert.Equal(option, ex.ParamName);
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Building_a_producer_with_an_invalid_value_throws_the_same_ArgumentException(string @case)
    {
        var (option, set) = Invalid[@case];
        var options = Offline();
        set(options);

        var ex = Assert.ThrowsAny<ArgumentException>(() => new KinesisProducer(options));

        Assert.Equal(option, ex.ParamName);
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ValidEdgeCases))]
    public void A_value_at_the_edge_of_its_range_validates(string @case)
    {
        var options = Offline();
        ValidEdges[@case](options);

        options.Validate();
    }
}
