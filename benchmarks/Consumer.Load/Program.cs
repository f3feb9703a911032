using Kinesis.Clients.Benchmarks.Load;
using Kinesis.Clients.Consumer.Load;

// Consumer load tool. Modes:
//   deaggregation [--seconds T]
//               One core (taskset -c 0): records/s of RecordDeaggregation over KPL aggregates of 100 B records,
//               with and without the shard's hash-range check, and the cost of handing each batch to a no-op processor.
//   endtoend    [--endpoint URL] [--records N] [--shards S] [--fanout tls|plain]
//               Pre-fills a stream with N aggregated 100 B records through KinesisProducer, then times one worker
//               (TRIM_HORIZON) until its processor has seen them all; --fanout reads through enhanced fan-out (the
//               testing kit's SubscribeToShard server in this process, HTTP/2 over TLS or cleartext) instead of polling.
//   takeover    [--endpoint URL] [--shards S] [--failover SECONDS] [--runs N]
//               Two workers share a stream. Abrupt: one runs as a child process and is killed; seconds until the
//               other processes every shard. Graceful: one is cancelled; seconds until the other holds every shard.
//               Both N times (default 1), then min / median / max.
//   leases      [--endpoint URL] [--shards S] [--seconds T]
//               One idle worker behind a counting forwarder to DynamoDB: requests per shard-hour at steady state.
//   worker      --endpoint URL --dynamodb-endpoint URL --stream NAME --application NAME --worker-id ID [--failover SECONDS]
//               Runs one worker until killed or stdin closes (the takeover run starts it).
// --endpoint names one endpoint for every service (e.g. LocalStack); without it kinesis-mock and dynalite are started.
var arguments = LoadArguments.Parse(args);
return arguments.Mode switch
{
    "deaggregation" when PinnedRun.ShouldRelaunch() => await PinnedRun.RelaunchOnFirstCoreAsync(),
    "deaggregation" => DeaggregationRun.Run(arguments),
    "endtoend" => await EndToEndRun.RunAsync(arguments),
    "takeover" => await TakeoverRun.RunAsync(arguments),
    "leases" => await LeaseCallsRun.RunAsync(arguments),
    "worker" => await WorkerProcess.RunAsync(arguments),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Kinesis.Clients.Consumer.Benchmarks deaggregation|endtoend|takeover|leases|worker [--endpoint URL] [--records N] [--shards S] [--seconds T] [--failover SECONDS] [--fanout tls|plain]");
    return 2;
}
