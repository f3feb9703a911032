using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Producer;

namespace Kinesis.Clients.Agent.Shipping;

/// <summary>
/// A flow's sink over a producer: <see cref="FlowSink"/> (a Kinesis data stream) or <see cref="FirehoseFlowSink"/>
/// (a Firehose delivery stream). What the engine and the <see cref="FailedRecordResender"/> need of either.
/// </summary>
internal interface IFlowSink : IRecordSink, IAsyncDisposable
{
    /// <summary>The stream or delivery stream the flow sends to.</summary>
    string StreamName { get; }

    StreamCounters Counters { get; }

    /// <summary>Sends a record (or run) the producer gave up on once more, under the same token.</summary>
    ValueTask ResendAsync(RecordFailure failure, IPutObserver outcomes, long token, CancellationToken cancellationToken);
}
