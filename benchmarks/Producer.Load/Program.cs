using Kinesis.Clients.Benchmarks.Load;
using Kinesis.Clients.Producer.Load;

// Producer load tool. Modes:
//   throughput  [--endpoint URL] [--records N] [--record-size B] [--keys K] [--shards S] [--warmup-seconds T] [--metrics]
//               Warms up for T s (30 by default; 0 = one 200,000-record round) so the JIT has tiered up.
//               --metrics records the producer's default (detailed) metrics as for CloudWatch; off by default.
//               One core for the producer; the sink (started as a child process unless --endpoint is given)
//               answers PutRecords success at once. Prints records/s, MB/s, CPU s per million records,
//               user records per Kinesis record, PutRecords calls, put-to-ack p50/p99, peak memory.
//   saturation  [--seconds T] [--shards S] [--record-size B] [--keys K] [--rate-limit P] [--preserve-shard-order] [--latency-ms L]
//               Through the limits proxy (real per-shard limits) with S shards, offering more than the
//               limit: prints sustained throughput as a share of S MiB/s, the throttled-request share and the
//               records that failed (expired). RateLimit 95, 100 and 150 % in turn, or only P; --latency-ms
//               delays every request by L ms at the proxy (a slow round trip); --preserve-shard-order sets
//               PreserveShardOrder.
//   compression [--records N] [--keys K] [--shards S]
//               For the demo's app-log and access lines and JSON events, with no compression, gzip 6, zstd 1 and
//               zstd 3: bytes on the wire (KinesisRecordsDataPut), producer CPU s per million records against the
//               sink (after a settling round), and decode + deaggregate CPU s per million records on one thread.
//   encryption  [--records N] [--keys K] [--shards S]
//               The same data without compression and with zstd 3, each run unencrypted and encrypted (a key on the
//               testing kit's loopback KMS, started here, through the real KMS client): bytes encryption adds per
//               Kinesis record, KMS calls per GB (the producer's GenerateDataKey, a fresh reader's Decrypt), producer
//               CPU s per million records and decrypt + decompress + deaggregate CPU s per million on one thread.
//   sink        [--port P] [--shards S] [--stream NAME] [--limits]
//               Runs the standalone sink until stdin closes; prints its URL on the first line.
var arguments = LoadArguments.Parse(args);
return arguments.Mode switch
{
    "throughput" => await ThroughputRun.RunAsync(arguments),
    "saturation" => await SaturationRun.RunAsync(arguments),
    "compression" => await CompressionRun.RunAsync(arguments),
    "encryption" => await EncryptionRun.RunAsync(arguments),
    "sink" => await SinkRun.RunAsync(arguments.Stream, arguments.Shards, arguments.Limits),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Kinesis.Clients.Producer.Load throughput|saturation|compression|encryption|sink [--endpoint URL] [--records N] [--record-size B] [--keys K] [--shards S] [--seconds T] [--port P] [--limits] [--warmup-seconds T] [--metrics] [--rate-limit P] [--preserve-shard-order] [--latency-ms L]");
    return 2;
}
