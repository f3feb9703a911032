using Kinesis.Clients.Agent.Configuration;
using Kinesis.Clients.Firehose;
using Kinesis.Clients.Producer;

namespace Kinesis.Clients.Agent;

/// <summary>Turns the agent's configuration into the options of its Firehose producer (when a flow has a <c>deliveryStream</c>).</summary>
internal static class FirehoseProducerSettings
{
    public static FirehoseProducerOptions Create(AgentConfiguration config, AgentEngineOptions engine, Amazon.Runtime.AWSCredentials? credentials)
    {
        var flows = config.Flows.Where(f => f.IsFirehose).ToList();
        var options = new FirehoseProducerOptions
        {
            Region = config.Region,
            FirehoseEndpoint = ProducerSettings.EndpointUri(config.FirehoseEndpoint, "firehose.endpoint"),
            Credentials = credentials,

            // One producer serves every Firehose flow: the most demanding flow's batching settings win.
            RecordMaxBufferedTime = flows.Min(f => f.MaxBufferAge),
            CollectionMaxCount = flows.Min(f => f.MaxBufferSizeRecords),
            CollectionMaxSize = Math.Max(FirehoseLimits.MaxRecordBytes, flows.Min(f => f.MaxBufferSizeBytes)),

            // The agent's memory bound, as for the Kinesis producer: when full the tailers wait.
            MaxBufferedBytes = Math.Max(config.MaxBufferedBytes, FirehoseLimits.MaxRecordBytes),
            MaxBufferedRecords = (int)Math.Clamp(config.MaxBufferedBytes / 128, 10_000, int.MaxValue),
            MaxConnections = config.MaxConnections,

            // As for Kinesis flows: records are not given up quickly; one that still fails is sent again by the
            // agent, and its file's checkpoint waits for it.
            RecordTtl = TimeSpan.FromMinutes(10),
            ShutdownTimeout = TimeSpan.FromSeconds(1),
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            LoggerFactory = engine.LoggerFactory,
            TimeProvider = engine.TimeProvider,
        };

        // Joining is per delivery stream; flows sharing one share the smallest size that is on.
        foreach (var group in flows.GroupBy(f => f.Destination, StringComparer.Ordinal))
        {
            options.AggregatedRecordSizeBytesByDeliveryStream[group.Key] =
                group.Select(f => f.AggregatedRecordSizeBytes).Where(s => s > 0).DefaultIfEmpty(0).Min();
        }

        return options;
    }
}
