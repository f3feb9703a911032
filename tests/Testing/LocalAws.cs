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

    private LocalAws(Uri kinesis, Uri dynamoDb, string region, AWSCredentials credentials, bool isExternal)
    {
        KinesisEndpoint = kinesis;
        DynamoDbEndpoint = dynamoDb;
        Region = region;
        Credentials = credentials;
        IsExternal = isExternal;
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
