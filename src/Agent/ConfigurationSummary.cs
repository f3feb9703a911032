using System.Text;
using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent;

/// <summary>What <c>kinesis-agent check-config</c> prints for a valid configuration.</summary>
internal static class ConfigurationSummary
{
    public static string Describe(AgentConfiguration config, string path)
    {
        var text = new StringBuilder();
        text.Append("configuration OK: ").AppendLine(path);
        text.Append("  checkpoints: ").AppendLine(config.CheckpointFile);
        text.Append("  Java agent checkpoints imported from: ").AppendLine(config.JavaCheckpointFile ?? Checkpoints.JavaCheckpointDatabase.DefaultPath);
        text.Append("  kinesis endpoint: ").AppendLine(config.KinesisEndpoint ?? "(from the region)");
        text.Append("  cloudwatch metrics: ").AppendLine(config.CloudWatchEmitMetrics ? "on (namespace AWSKinesisAgent)" : "off");
        foreach (var flow in config.Flows)
        {
            text.Append("  flow ").Append(flow.FilePattern).Append(" -> ").Append(flow.IsFirehose ? "firehose " : "").Append(flow.Destination)
                .Append(flow.IsFirehose ? " (aggregatedRecordSizeBytes " + flow.AggregatedRecordSizeBytes : " (partition key " + flow.PartitionKeyOption)
                .Append(", ").Append(flow.InitialPosition)
                .Append(", ").Append(flow.DataProcessingOptions.Count).Append(" processing options")
                .Append(", ").Append(flow.KplAggregation ? "records KPL-aggregated" : "records not aggregated: one Kinesis record per record")
                .AppendLine(")");
        }

        return text.ToString();
    }
}
