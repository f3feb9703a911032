using System.Security.Cryptography;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;

namespace Kinesis.Clients.Testing;

/// <summary>
/// The AWS endpoints every test in this process talks to: local engines started once on first use and
/// stopped when the process exits, or, when <c>KINESIS_CLIENTS_ENDPOINT</c> is set (e.g. a running
/// LocalStack at <c>http://localhost:4566</c>), that endpoint for every service.
/// </summary>
public sealed class LocalAws
{
    /// <summary>The environment variable naming an already running endpoint to use instead of local engines.</summary>
    public const string EndpointVariable = "KINESIS_CLIENTS_ENDPOINT";

    private static readonly Lazy<Task<LocalAws>> Shared =
        new(() => Task.Run(CreateAsync), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Lazy<KinesisClient> _kinesis;
    private readonly Lazy<AmazonDynamoDBClient> _dynamoDb;

    private LocalAws(Uri kinesis, Uri dynamoDb, string region, AWSCredentials credentials, bool isExternal)
    {
        KinesisEndpoint = kinesis;
        DynamoDbEndpoint = dynamoDb;
        Region = region;
        Credentials = credentials;
        IsExternal = isExternal;
        _kinesis = new(() => new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = KinesisEndpoint,
            Region = Region,
            Credentials = Credentials,
        }));
        _dynamoDb = new(CreateDynamoDbClient);
    }

    /// <summary>Kinesis endpoint (kinesis-mock, or the external endpoint).</summary>
    public Uri KinesisEndpoint { get; }

    /// <summary>DynamoDB endpoint (dynalite, or the external endpoint).</summary>
    public Uri DynamoDbEndpoint { get; }

    /// <summary>Region to sign for: <c>us-east-1</c> locally; <c>AWS_REGION</c> (or <c>AWS_DEFAULT_REGION</c>) when external.</summary>
    public string Region { get; }

    /// <summary>Credentials to sign with; the engines check only that a signature is present.</summary>
    public AWSCredentials Credentials { get; }

    /// <summary>Whether the endpoints come from <c>KINESIS_CLIENTS_ENDPOINT</c> rather than local engines.</summary>
    public bool IsExternal { get; }

    /// <summary>
    /// The shared instance. The first call starts the local engines (up to a minute on a cold machine);
    /// later calls, from any thread, get the same instance. A failed start is not retried: every caller sees
    /// the same error rather than waiting out the timeout again.
    /// </summary>
    public static Task<LocalAws> GetAsync() => Shared.Value;

    /// <summary>The kit's own Kinesis client of <see cref="KinesisEndpoint"/>, for setting up and cleaning up; never disposed.</summary>
    internal KinesisClient Kinesis => _kinesis.Value;

    /// <summary>The kit's own DynamoDB client of <see cref="DynamoDbEndpoint"/>, for cleaning up; never disposed.</summary>
    internal AmazonDynamoDBClient DynamoDb => _dynamoDb.Value;

    /// <summary>
    /// A new stream for one test, active and deleted again when disposed:
    /// <c>await using var stream = await aws.NewStreamAsync(2, "orders");</c>. Its shards are booked in the
    /// <see cref="ShardBudget"/> first, so this waits while other tests hold too many.
    /// </summary>
    /// <param name="shards">Shards to create it with.</param>
    /// <param name="prefix">The start of its name (a random suffix follows).</param>
    /// <param name="peakShards">
    /// The most shards the test will have open at once, when it splits shards or raises the count; defaults to
    /// <paramref name="shards"/>.
    /// </param>
    /// <param name="through">
    /// The client to create it through (e.g. one speaking CBOR, or one behind a proxy that should see the call);
    /// defaults to the kit's own client of <see cref="KinesisEndpoint"/>. Deleting always goes straight there.
    /// </param>
    public Task<TestStream> NewStreamAsync(int shards, string prefix = "test", int? peakShards = null, KinesisClient? through = null) =>
        TestStream.CreateAsync(this, UniqueName(prefix), shards, peakShards, through);

    /// <summary>
    /// As <see cref="NewStreamAsync"/>, for a name picked earlier with <see cref="UniqueName"/> (a test that starts
    /// its code before the stream exists).
    /// </summary>
    /// <param name="name">The stream name, unique to the test.</param>
    /// <param name="shards">Shards to create it with.</param>
    /// <param name="peakShards">The most shards the test will have open at once; defaults to <paramref name="shards"/>.</param>
    /// <param name="through">The client to create it through; defaults to the kit's own.</param>
    public Task<TestStream> NewStreamNamedAsync(string name, int shards, int? peakShards = null, KinesisClient? through = null) =>
        TestStream.CreateAsync(this, name, shards, peakShards, through);

    /// <summary>
    /// A new table name for one test, for a table the code under test creates (a consumer's lease table is named
    /// after its application); disposing it deletes the table if it exists:
    /// <c>await using var application = aws.NewTable("app");</c>.
    /// </summary>
    /// <param name="prefix">The start of its name (a random suffix follows).</param>
    public TestTable NewTable(string prefix = "table") => new(this, UniqueName(prefix));

    /// <summary>A DynamoDB client for <see cref="DynamoDbEndpoint"/>; the caller disposes it.</summary>
    public AmazonDynamoDBClient CreateDynamoDbClient() =>
        new(Credentials, new AmazonDynamoDBConfig
        {
            ServiceURL = DynamoDbEndpoint.ToString(),
            AuthenticationRegion = Region,
        });

    /// <summary>
    /// <paramref name="prefix"/> plus a random suffix, valid as a Kinesis stream name (1-128 of
    /// <c>a-zA-Z0-9_.-</c>), DynamoDB table name (3-255) and consumer name. Long prefixes are cut to fit.
    /// </summary>
    /// <exception cref="ArgumentException">The prefix is empty or has characters outside <c>a-zA-Z0-9_.-</c>.</exception>
    public static string UniqueName(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        foreach (var c in prefix)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                throw new ArgumentException(
                    $"Name prefix '{prefix}' has '{c}'; stream and table names allow only a-z, A-Z, 0-9, '_', '.' and '-'.",
                    nameof(prefix));
            }
        }

        // 48 random bits: names stay distinct across test runs sharing one external endpoint, too.
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        const int MaxLength = 128;
        var room = MaxLength - suffix.Length - 1;
        return $"{(prefix.Length > room ? prefix[..room] : prefix)}-{suffix}";
    }

    private static async Task<LocalAws> CreateAsync()
    {
        if (Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } configured)
        {
            return External(configured);
        }

        var engines = await LocalEngines.StartAsync().ConfigureAwait(false);
        // run.js also exits when this process dies without running handlers; this just makes it prompt.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => engines.Kill();
        return new LocalAws(
            engines.KinesisEndpoint,
            engines.DynamoDbEndpoint,
            LocalEngines.Region,
            new BasicAWSCredentials("AKIDLOCALTEST", "local-test-secret-key"),
            isExternal: false);
    }

    internal static LocalAws External(string configured)
    {
        if (!Uri.TryCreate(configured, UriKind.Absolute, out var endpoint) ||
            (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException(
                $"{EndpointVariable}='{configured}' is not an absolute http(s) URL such as http://localhost:4566.");
        }

        var region = Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } r ? r
            : Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is { Length: > 0 } d ? d
            : LocalEngines.Region;
        return new LocalAws(endpoint, endpoint, region, ExternalCredentials(), isExternal: true);
    }

    /// <summary>
    /// Environment keys, then the shared profile, then fixed test keys (LocalStack accepts any). The rest
    /// of the SDK's default chain is skipped on purpose: it ends at the instance metadata service, and a
    /// test run must never call out to that.
    /// </summary>
    private static AWSCredentials ExternalCredentials()
    {
        if (Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is { Length: > 0 } &&
            Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") is { Length: > 0 })
        {
            return new EnvironmentVariablesAWSCredentials();
        }

        var profile = Environment.GetEnvironmentVariable("AWS_PROFILE") is { Length: > 0 } p ? p : "default";
        if (new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile))
        {
            return fromProfile;
        }

        return new BasicAWSCredentials("test", "test");
    }
}
