namespace Kinesis.Clients.Consumer;

/// <summary>One stream of a multi-stream application (the KCL's <c>StreamConfig</c>).</summary>
/// <param name="Stream">
/// The stream: its name (in the worker's own account and region), its ARN
/// (<c>arn:aws:kinesis:region:account:stream/name</c>), or the KCL's serialized identifier
/// <c>account:stream:creationEpoch</c>, which keeps the lease keys a Java KCL fleet made with that epoch. For a name
/// or an ARN, the account and creation epoch that start the stream's lease keys are read with DescribeStreamSummary.
/// </param>
/// <param name="InitialPosition">
/// Where this stream's shards without a checkpoint start; <see langword="null"/> takes
/// <see cref="KinesisConsumerOptions.InitialPosition"/>.
/// </param>
public sealed record StreamConfig(string Stream, InitialPosition? InitialPosition = null);
