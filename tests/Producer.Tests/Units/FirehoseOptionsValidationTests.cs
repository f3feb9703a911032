using Kinesis.Clients.Firehose;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class FirehoseOptionsValidationTests
{
    private static readonly Dictionary<string, (string Option, Action<FirehoseProducerOptions> Set)> Invalid = new()
    {
        ["RecordMaxBufferedTime zero"] = (nameof(FirehoseProducerOptions.RecordMaxBufferedTime), o => o.RecordMaxBufferedTime = TimeSpan.Zero),
        ["RecordTtl infinite"] = (nameof(FirehoseProducerOptions.RecordTtl), o => o.RecordTtl = Timeout.InfiniteTimeSpan),
        ["RecordTtl equal to RecordMaxBufferedTime"] = (nameof(FirehoseProducerOptions.RecordTtl), o => o.RecordTtl = o.RecordMaxBufferedTime),
        ["RequestTimeout zero"] = (nameof(FirehoseProducerOptions.RequestTimeout), o => o.RequestTimeout = TimeSpan.Zero),
        ["RetryBaseDelay negative"] = (nameof(FirehoseProducerOptions.RetryBaseDelay), o => o.RetryBaseDelay = TimeSpan.FromMilliseconds(-1)),
        ["RetryMaxDelay below RetryBaseDelay"] = (nameof(FirehoseProducerOptions.RetryMaxDelay), o => o.RetryMaxDelay = TimeSpan.FromMilliseconds(99)),
        ["ShutdownTimeout zero"] = (nameof(FirehoseProducerOptions.ShutdownTimeout), o => o.ShutdownTimeout = TimeSpan.Zero),
        ["AggregatedRecordSizeBytes over 1,000 KiB"] = (nameof(FirehoseProducerOptions.AggregatedRecordSizeBytes), o => o.AggregatedRecordSizeBytes = FirehoseLimits.MaxRecordBytes + 1),
        ["AggregatedRecordSizeBytes negative"] = (nameof(FirehoseProducerOptions.AggregatedRecordSizeBytes), o => o.AggregatedRecordSizeBytes = -1),
        ["A delivery stream's size over 1,000 KiB"] = (nameof(FirehoseProducerOptions.AggregatedRecordSizeBytesByDeliveryStream), o => o.AggregatedRecordSizeBytesByDeliveryStream["logs"] = FirehoseLimits.MaxRecordBytes + 1),
        ["CollectionMaxCount 501"] = (nameof(FirehoseProducerOptions.CollectionMaxCount), o => o.CollectionMaxCount = 501),
        ["CollectionMaxSize below one record"] = (nameof(FirehoseProducerOptions.CollectionMaxSize), o => o.CollectionMaxSize = FirehoseLimits.MaxRecordBytes - 1),
        ["MaxConcurrentRequests zero"] = (nameof(FirehoseProducerOptions.MaxConcurrentRequests), o => o.MaxConcurrentRequests = 0),
        ["MaxConnections 257"] = (nameof(FirehoseProducerOptions.MaxConnections), o => o.MaxConnections = 257),
        ["MaxBufferedRecords zero"] = (nameof(FirehoseProducerOptions.MaxBufferedRecords), o => o.MaxBufferedRecords = 0),
        ["MaxBufferedBytes below one record"] = (nameof(FirehoseProducerOptions.MaxBufferedBytes), o => o.MaxBufferedBytes = FirehoseLimits.MaxRecordBytes - 1),
        ["MetricsLevel undefined"] = (nameof(FirehoseProducerOptions.MetricsLevel), o => o.MetricsLevel = (Kinesis.Clients.Metrics.MetricsLevel)9),
        ["MetricsGranularity undefined"] = (nameof(FirehoseProducerOptions.MetricsGranularity), o => o.MetricsGranularity = (Kinesis.Clients.Metrics.MetricsGranularity)9),
        ["MetricsUploadDelay below 1 s"] = (nameof(FirehoseProducerOptions.MetricsUploadDelay), o => o.MetricsUploadDelay = TimeSpan.FromMilliseconds(999)),
        ["MetricsUploadDelay over 1 h"] = (nameof(FirehoseProducerOptions.MetricsUploadDelay), o => o.MetricsUploadDelay = TimeSpan.FromHours(1) + TimeSpan.FromTicks(1)),
        ["MetricsNamespace empty"] = (nameof(FirehoseProducerOptions.MetricsNamespace), o => o.MetricsNamespace = ""),
        ["MetricsNamespace starting with ':'"] = (nameof(FirehoseProducerOptions.MetricsNamespace), o => o.MetricsNamespace = ":agent"),
        ["MetricsNamespace under AWS/"] = (nameof(FirehoseProducerOptions.MetricsNamespace), o => o.MetricsNamespace = "AWS/Firehose"),
        ["TimeProvider null"] = (nameof(FirehoseProducerOptions.TimeProvider), o => o.TimeProvider = null!),
    };

    private static readonly Dictionary<string, Action<FirehoseProducerOptions>> ValidEdges = new()
    {
        ["AggregatedRecordSizeBytes 0"] = o => o.AggregatedRecordSizeBytes = 0,
        ["AggregatedRecordSizeBytes 1,000 KiB"] = o => o.AggregatedRecordSizeBytes = FirehoseLimits.MaxRecordBytes,
        ["CollectionMaxSize one record"] = o => o.CollectionMaxSize = FirehoseLimits.MaxRecordBytes,
        ["MaxBufferedBytes one record"] = o => o.MaxBufferedBytes = FirehoseLimits.MaxRecordBytes,
        ["RetryMaxDelay equal to RetryBaseDelay"] = o => o.RetryMaxDelay = o.RetryBaseDelay,
        ["RecordTtl one tick above RecordMaxBufferedTime"] = o => o.RecordTtl = o.RecordMaxBufferedTime + TimeSpan.FromTicks(1),
        ["MetricsUploadDelay 1 h"] = o => o.MetricsUploadDelay = TimeSpan.FromHours(1),
        ["MaxConnections 256"] = o => o.MaxConnections = 256,
    };

    public static TheoryData<string> InvalidCases => [.. Invalid.Keys];

    public static TheoryData<string> ValidEdgeCases => [.. ValidEdges.Keys];

    [Fact]
    public void The_defaults_validate()
    {
        new FirehoseProducerOptions().Validate();
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void An_invalid_value_throws_ArgumentException_naming_the_option(string @case)
    {
        var (option, set) = Invalid[@case];
        var options = new FirehoseProducerOptions();
        set(options);

        var ex = Assert.ThrowsAny<ArgumentException>(options.Validate);

        Assert.Equal(option, ex.ParamName);
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ValidEdgeCases))]
    public void A_value_at_the_edge_of_its_range_validates(string @case)
    {
        var options = new FirehoseProducerOptions();
        ValidEdges[@case](options);

        options.Validate();
    }
}
