using System.Runtime.InteropServices;
using Kinesis.Clients.Consumer;
using Kinesis.Clients.ConsumerDump;

DumpArguments arguments;
try
{
    arguments = DumpArguments.Parse(args);
}
catch (FormatException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}\n\n{DumpArguments.Usage}");
    return 2;
}

var options = new KinesisConsumerOptions
{
    ApplicationName = arguments.Application,
    InitialPosition = arguments.Position,
    Region = arguments.Region,
    KinesisEndpoint = arguments.KinesisEndpoint,
    DynamoDbEndpoint = arguments.DynamoDbEndpoint,
    MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
};
if (arguments.Streams.Count == 1)
{
    options.StreamName = arguments.Stream;
}

if (arguments.WorkerId is { } workerId)
{
    options.WorkerId = workerId;
}

if (arguments.FailoverTime is { } failover)
{
    options.FailoverTime = failover;
}

// Kinesis-compatible endpoints such as LocalStack accept any keys; real AWS uses the default chain.
if (options.KinesisEndpoint is not null &&
    Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is null &&
    Environment.GetEnvironmentVariable("AWS_PROFILE") is null)
{
    options.Credentials = new Amazon.Runtime.BasicAWSCredentials("test", "test");
}

using var output = new JsonLineWriter(Console.OpenStandardOutput());
KinesisConsumer consumer;
try
{
    if (arguments.Streams.Count > 1)
    {
        options.Streams = new MultiStreamTracker(arguments.Streams.Select(s => new StreamConfig(s)));
    }

    consumer = new KinesisConsumer(options, new JsonLineProcessorFactory(output, arguments.Stream));
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"error: {ex.Message}\n\n{DumpArguments.Usage}");
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using (consumer.ConfigureAwait(false))
{
    await Console.Error.WriteLineAsync($"consuming {string.Join(",", arguments.Streams)} as {options.WorkerId}");
    await consumer.RunAsync(stop.Token).ConfigureAwait(false);
}

await Console.Error.WriteLineAsync("stopped");
return 0;
