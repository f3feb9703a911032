namespace Kinesis.Clients.Consumer;

/// <summary>Multi-stream mode: one application, one lease table, several streams (the KCL's <c>MultiStreamTracker</c>).</summary>
public sealed partial class KinesisConsumerOptions
{
    /// <summary>
    /// The streams of a multi-stream application, instead of <see cref="StreamName"/>/<see cref="StreamArn"/>: lease
    /// keys become <c>account:stream:creationEpoch:shardId</c> with <c>streamName</c> and <c>shardId</c> attributes, as
    /// the KCL's multi-stream mode writes them, and processors learn their stream from
    /// <see cref="InitializationInput.Stream"/>. A table holds leases of one mode only: a worker refuses a table with
    /// leases of the other. <value>Default: <see langword="null"/>, one stream.</value>
    /// </summary>
    public MultiStreamTracker? Streams { get; set; }

    internal bool IsMultiStream => Streams is not null;

    /// <summary>Names of the initially tracked streams, for log lines and metrics of a multi-stream worker.</summary>
    private string MultiStreamLabel =>
        string.Join(",", MultiStreamTracker.References(Streams!.Streams).Select(r => r.StreamName));

    private void ValidateStreams()
    {
        if (StreamName.Length > 0 || StreamArn is not null)
        {
            throw new ArgumentException(
                $"Set either Streams (several streams) or StreamName/StreamArn (one stream), not both; got Streams and '{StreamArn ?? StreamName}'.",
                nameof(Streams));
        }

        Streams!.Validate(nameof(Streams));
        if (RetrievalMode == RetrievalMode.EnhancedFanOut && FanOut.ConsumerArn is not null)
        {
            // A consumer ARN names one stream's consumer; as the KCL's FanOutConfig in multi-stream mode, each stream
            // gets its own, registered under FanOut.ConsumerName (or the application name).
            throw new ArgumentException(
                $"FanOut.ConsumerArn names one stream's consumer ('{FanOut.ConsumerArn}'); with Streams each stream's consumer is registered under FanOut.ConsumerName or the application name.",
                "FanOut.ConsumerArn");
        }

        if (DeadLetterStreamName is not null &&
            MultiStreamTracker.References(Streams.Streams).Any(r => r.StreamName == DeadLetterStreamName))
        {
            throw new ArgumentException(
                $"DeadLetterStreamName must not be a consumed stream ('{DeadLetterStreamName}' is in Streams): failed records would be read again.",
                nameof(DeadLetterStreamName));
        }
    }
}
