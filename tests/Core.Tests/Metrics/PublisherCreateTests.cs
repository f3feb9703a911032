using System.Diagnostics.Metrics;
using Amazon.Runtime;
using Kinesis.Clients.Metrics;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary><see cref="CloudWatchMetricsPublisher.Create"/>: the set-up the producer, the consumer and the agent share.</summary>
public sealed class PublisherCreateTests
{
    [Fact(Timeout = 30_000)]
    public async Task A_created_publisher_uploads_to_the_given_endpoint_signed_for_the_given_region()
    {
        await using var server = await LoopbackCloudWatch.StartAsync();
        using var meter = new Meter("Kinesis.Clients.Tests." + Guid.NewGuid().ToString("N"));
        var logs = new ListLoggerFactory();
        var publisher = CloudWatchMetricsPublisher.Create(
            new CloudWatchMetricsPublisherOptions
            {
                Meter = meter,
                Metrics = PublisherHarness.KplMetrics,
                Namespace = "CreatedHere",
                Level = MetricsLevel.Summary,
                Granularity = MetricsGranularity.Global,
            },
            "eu-west-3",
            server.Endpoint,
            new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            logs);
        meter.CreateCounter<long>("UserRecordsPut").Add(4);

        await publisher.DisposeAsync();

        var call = Assert.Single(server.Calls);
        Assert.Equal("CreatedHere", call.Namespace);
        Assert.Equal("eu-west-3", call.Region);
        Assert.Equal(4, call.Data.Single().StatisticValues!.Value.Sum);
        Assert.Equal([nameof(CloudWatchMetricsPublisher)], logs.Categories.Select(c => c[(c.LastIndexOf('.') + 1)..]));
    }

    [Fact]
    public void A_bad_option_is_refused_before_a_client_exists()
    {
        using var meter = new Meter("Kinesis.Clients.Tests." + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<ArgumentException>(() => CloudWatchMetricsPublisher.Create(
            new CloudWatchMetricsPublisherOptions { Meter = meter, Metrics = PublisherHarness.KplMetrics, UploadInterval = TimeSpan.Zero },
            "us-east-1",
            new Uri("http://127.0.0.1:9/"),
            new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            loggerFactory: null));

        Assert.Equal("UploadInterval", error.ParamName);
    }

    private sealed class ListLoggerFactory : Microsoft.Extensions.Logging.ILoggerFactory
    {
        public List<string> Categories { get; } = [];

        public void AddProvider(Microsoft.Extensions.Logging.ILoggerProvider provider)
        {
        }

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName)
        {
            Categories.Add(categoryName);
            return new TestLogger();
        }

        public void Dispose()
        {
        }
    }
}
