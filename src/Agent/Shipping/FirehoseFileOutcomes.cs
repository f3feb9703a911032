using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Producer;

namespace Kinesis.Clients.Agent.Shipping;

/// <summary>
/// Hears the Firehose producer's outcome for the records of one file generation: acknowledgements go to the file's
/// in-order tracker, failures back to the flow to be sent again.
/// </summary>
internal sealed class FirehoseFileOutcomes(ITailedFile file, FirehoseFlowSink sink) : IPutObserver
{
    public ITailedFile File { get; } = file;

    public void OnPutSucceeded(long token, string shardId, string sequenceNumber)
    {
        sink.Counters.Sent(1, FlowSink.LengthOf(token));
        sink.OnSucceeded();
        File.Acknowledge(FlowSink.TicketOf(token), 1);
    }

    public void OnPutFailed(long token, RecordFailure failure) => sink.OnFailed(this, token, failure);
}
