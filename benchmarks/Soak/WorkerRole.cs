using System.Threading;
using Amazon.Runtime;
using Kinesis.Clients.Consumer;

namespace Kinesis.Clients.Soak;

/// <summary>
/// One consumer worker in a process of its own (mode <c>worker</c>), so the soak can SIGKILL it. It runs until its
/// standard input closes (then shuts down gracefully) or it is killed.
/// </summary>
internal static class WorkerRole
{
    public static readonly TimeSpan FailoverTime = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(SoakArguments arguments)
    {
        if (arguments.KinesisEndpoint is null || arguments.DynamoDbEndpoint is null || arguments.Stream.Length == 0
            || arguments.Application.Length == 0 || arguments.Name.Length == 0 || arguments.Output.Length == 0)
        {
            await Console.Error.WriteLineAsync("worker needs --kinesis, --dynamodb, --stream, --application, --name and --out");
            return 2;
        }

        using var log = new DeliveryLog(arguments.Output);
        var processors = 0;
        var factory = new ProcessorFactory(() => new DeliveryProcessor(log, $"{arguments.Name}.{Interlocked.Increment(ref processors)}"));
        var consumer = new KinesisConsumer(
            new KinesisConsumerOptions
            {
                ApplicationName = arguments.Application,
                StreamName = arguments.Stream,
                // Each incarnation is a new worker to the lease table, as a restarted host with a new id would be.
                WorkerId = arguments.Name,
                InitialPosition = InitialPosition.TrimHorizon,
                FailoverTime = FailoverTime,
                ShardSyncInterval = TimeSpan.FromSeconds(10),
                ParentShardPollInterval = TimeSpan.FromSeconds(2),
                IdleTimeBetweenReads = TimeSpan.FromMilliseconds(250),
                KinesisEndpoint = arguments.KinesisEndpoint,
                DynamoDbEndpoint = arguments.DynamoDbEndpoint,
                Region = "us-east-1",
                Credentials = new BasicAWSCredentials("AKIDSOAKWORKER", "secret"),
                MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            },
            factory);
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync().ConfigureAwait(false) is not null)
            {
            }

            await stop.CancelAsync().ConfigureAwait(false);
        });
        Console.WriteLine("started");
        await consumer.RunAsync(stop.Token);
        log.Flush();
        return 0;
    }

    private sealed class ProcessorFactory(Func<IRecordProcessor> create) : IRecordProcessorFactory
    {
        public IRecordProcessor CreateProcessor(string shardId) => create();
    }
}
