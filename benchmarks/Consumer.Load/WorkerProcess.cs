using System.Diagnostics;
using System.Globalization;
using Kinesis.Clients.Benchmarks.Load;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>
/// One worker in a process of its own, so the takeover run can kill it without a graceful shutdown: its leases
/// stay held until they expire. Prints <c>shards N</c> whenever the number of shards it processes changes, and
/// shuts down gracefully when stdin closes.
/// </summary>
internal static class WorkerProcess
{
    public static async Task<int> RunAsync(LoadArguments arguments)
    {
        if (arguments.Endpoint is not { } kinesis || arguments.DynamoDbEndpoint is not { } dynamoDb || arguments.Stream.Length == 0 || arguments.Application.Length == 0)
        {
            Console.Error.WriteLine("worker needs --endpoint, --dynamodb-endpoint, --stream and --application");
            return 2;
        }

        await using var backend = await Backend.StartAsync(arguments with { Endpoint = kinesis, DynamoDbEndpoint = dynamoDb });
        var factory = new CountingProcessorFactory();
        var workerId = arguments.WorkerId.Length > 0 ? arguments.WorkerId : "child";
        var consumer = new KinesisConsumer(backend.ConsumerOptions(arguments.Stream, arguments.Application, workerId, TimeSpan.FromSeconds(arguments.FailoverSeconds)), factory);
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync() is not null)
            {
            }

            await stop.CancelAsync();
        });

        var run = Task.Run(() => consumer.RunAsync(stop.Token));
        var reported = -1;
        while (!run.IsCompleted)
        {
            var count = factory.ActiveShards.Count;
            if (count != reported)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"shards {count}"));
                reported = count;
            }

            await Task.WhenAny(run, Task.Delay(50));
        }

        await run;
        return 0;
    }

    /// <summary>Starts this program in worker mode; the caller kills it or closes its stdin.</summary>
    public static Process Start(Backend backend, string stream, string application, string workerId, int failoverSeconds)
    {
        var start = SelfProcess.StartInfo(
        [
            "worker", "--endpoint", backend.KinesisEndpoint.ToString(), "--dynamodb-endpoint", backend.DynamoDbEndpoint.ToString(),
            "--stream", stream, "--application", application, "--worker-id", workerId,
            "--failover", failoverSeconds.ToString(CultureInfo.InvariantCulture),
        ]);
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the worker process.");
    }
}
