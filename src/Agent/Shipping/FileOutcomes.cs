using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Producer;

namespace Kinesis.Clients.Agent.Shipping;

/// <summary>
/// Hears the producer's outcome for the records of one file generation and passes acknowledgements to the
/// file's in-order tracker; failures go back to the flow to be sent again.
/// </summary>
internal sealed class FileOutcomes(ITailedFile file, FlowSink sink) : IPutObserver
{
    public ITailedFile File { get; } = file;

    public void OnPutSucceeded(long token, string shardId, string sequenceNumber)
    {
        sink.Counters.Sent(FlowSink.LengthOf(token));
        sink.OnSucceeded();
        File.Acknowledge(FlowSink.TicketOf(token));
    }

    public void OnPutFailed(long token, RecordFailure failure) => sink.OnFailed(this, token, failure);
}
