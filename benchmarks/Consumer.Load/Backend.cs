using Amazon.Runtime;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>Where the runs send requests: local engines started for the run, or one external endpoint.</summary>
internal sealed class Backend : IAsyncDisposable
{
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(60);
    private readonly LocalEngines? _engines;

    private Backend(LocalEngines? engines, Uri kinesis, Uri dynamoDb, string region)
    {
        _engines = engines;
        KinesisEndpoint = kinesis;
        DynamoDbEndpoint = dynamoDb;
        Region = region;
    }

    public Uri KinesisEndpoint { get; }

    public Uri DynamoDbEndpoint { get; }

    public string Region { get; }

    public static AWSCredentials Credentials { get; } = new BasicAWSCredentials("AKIDLOADTEST", "secret");

    public string Description => _engines is null ? $"external {KinesisEndpoint}" : "local kinesis-mock + dynalite";

    public static async Task<Backend> StartAsync(LoadArguments arguments)
    {
        if (arguments.Endpoint is { } endpoint)
        {
            var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1";
            return new Backend(null, endpoint, arguments.DynamoDbEndpoint ?? endpoint, region);
        }

        var engines = await LocalEngines.StartAsync();
        return new Backend(engines, engines.KinesisEndpoint, engines.DynamoDbEndpoint, "us-east-1");
    }

    public KinesisClient CreateKinesisClient() =>
        new(new KinesisClientOptions { ServiceUrl = KinesisEndpoint, Region = Region, Credentials = Credentials });

    public async Task<string> CreateStreamAsync(string prefix, int shards)
    {
        var stream = LocalAws.UniqueName(prefix);
        using var kinesis = CreateKinesisClient();
        await kinesis.CreateStreamAsync(stream, shards);
        await kinesis.WaitForStreamActiveAsync(stream, StreamTimeout);
        return stream;
    }

    public KinesisConsumerOptions ConsumerOptions(string stream, string application, string workerId, TimeSpan failoverTime, Uri? dynamoDbEndpoint = null) => new()
    {
        ApplicationName = application,
        StreamName = stream,
        WorkerId = workerId,
        InitialPosition = InitialPosition.TrimHorizon,
        FailoverTime = failoverTime,
        IdleTimeBetweenReads = TimeSpan.FromMilliseconds(200),
        KinesisEndpoint = KinesisEndpoint,
        DynamoDbEndpoint = dynamoDbEndpoint ?? DynamoDbEndpoint,
        Region = Region,
        Credentials = Credentials,
        MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
    };

    public async ValueTask DisposeAsync()
    {
        if (_engines is not null)
        {
            await _engines.DisposeAsync();
        }
    }
}
