using Kinesis.Clients.Soak;

// The soak: the whole path under faults for a while, then every record checked. Modes:
//   run [--minutes N] [--agent PATH] [--workers N] [--shards N] [--rate N] [--agent-rate N] [--keys N] [--drain-minutes N]
//       Starts kinesis-mock and dynalite, the limits proxy in front of Kinesis, a producer service (child process),
//       the native kinesis-agent (--agent, or KINESIS_AGENT_PROGRAM) tailing a log the soak writes and rotates, and
//       consumer workers (child processes) that are SIGKILLed and restarted; injects faults on the proxy, splits and
//       merges a shard; after N minutes (default 3) stops writing, waits for delivery, checks every record and prints
//       the table. Exit code 0 only when nothing is missing and no order promise is broken.
//   worker --kinesis URL --dynamodb URL --stream S --application A --name NAME --out FILE    (started by run)
//   producer --kinesis URL --stream S [--rate N] [--keys N]                                   (started by run)
try
{
    var arguments = SoakArguments.Parse(args);
    return arguments.Mode switch
    {
        "run" => await SoakRun.RunAsync(arguments),
        "worker" => await WorkerRole.RunAsync(arguments),
        "producer" => await ProducerRole.RunAsync(arguments),
        _ => Usage($"unknown mode '{arguments.Mode}'"),
    };
}
catch (ArgumentException ex)
{
    return Usage(ex.Message);
}

static int Usage(string problem)
{
    Console.Error.WriteLine($"soak: {problem}");
    Console.Error.WriteLine("usage: Kinesis.Clients.Soak [run] [--minutes N] [--agent PATH] [--workers N] [--shards N] [--rate N] [--agent-rate N] [--keys N] [--drain-minutes N]");
    return 2;
}
