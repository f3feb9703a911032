using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>
/// Where the runs send requests: local engines started for the run, or one external endpoint. Disposing it deletes
/// the streams and lease tables the run made, so a shared endpoint is left as it was found.
/// </summary>
internal sealed class Backend : IAsyncDisposable
{
    private static readonly TimeSpan StreamTimeout = TimeSpan.FromSeconds(60);
    private readonly LocalEngines? _engines;
    private readonly List<string> _streams = [];
    private readonly List<string> _tables = [];

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
        _streams.Add(stream);
        using var kinesis = CreateKinesisClient();
        await kinesis.CreateStreamAsync(stream, shards);
        await kinesis.WaitForStreamActiveAsync(stream, StreamTimeout);
        return stream;
    }

    /// <summary>A new application name; its lease table (which the consumer creates) is deleted with the backend.</summary>
    public string NewApplication(string prefix)
    {
        var application = LocalAws.UniqueName(prefix);
        _tables.Add(application);
        return application;
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
            // The engines keep nothing once stopped.
            await _engines.DisposeAsync();
            return;
        }

        using var kinesis = CreateKinesisClient();
        foreach (var stream in _streams)
        {
            try
            {
                await kinesis.DeleteStreamAsync(stream, enforceConsumerDeletion: true);
            }
            catch (ResourceNotFoundException)
            {
                // Never created.
            }
        }

        using var dynamoDb = new AmazonDynamoDBClient(Credentials, new AmazonDynamoDBConfig { ServiceURL = DynamoDbEndpoint.ToString(), AuthenticationRegion = Region });
        foreach (var table in _tables)
        {
            try
            {
                await dynamoDb.DeleteTableAsync(table);
            }
            catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
            {
                // The run ended before its consumer created it.
            }
        }
    }
}
