using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Producer.Load;

/// <summary>Runs the standalone sink as its own process, so the producer's CPU can be measured apart from it.</summary>
internal static class SinkRun
{
    public static async Task<int> RunAsync(LoadArguments arguments)
    {
        await using var sink = await KinesisLimitsProxy.StartStandaloneAsync(
            StandaloneStreams.Of(arguments.Stream, arguments.Shards),
            new LimitsProxyOptions { EnforceLimits = arguments.Limits });
        Console.WriteLine(sink.Endpoint);
        Console.Out.Flush();

        // Runs until the parent closes our stdin (or dies, which closes it too).
        await Console.In.ReadToEndAsync();
        var stats = sink.Stats;
        await Console.Error.WriteLineAsync($"sink: {stats.AcceptedRecords} Kinesis records, {stats.AcceptedBytes} bytes accepted in {stats.PutRecordsRequests} PutRecords");
        return 0;
    }
}
