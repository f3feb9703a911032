using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Producer;

namespace Kinesis.Clients.Agent.Shipping;

/// <summary>
/// Hears the producer's outcome for the records of one file generation and passes acknowledgements to the
/// file's in-order tracker (a run's token names its tickets); failures go back to the flow to be sent again.
/// </summary>
internal sealed class FileOutcomes(ITailedFile file, FlowSink sink) : IPutObserver
{
    public ITailedFile File { get; } = file;

    /// <summary>
    /// For keys chosen per run: the key of the file's last run and the size of the aggregate it is filling, so
    /// the next read's first run tops that aggregate up instead of leaving it to wait out the linger. Touched
    /// only by the file's read loop.
    /// </summary>
    public string? RunKey { get; set; }

    /// <inheritdoc cref="RunKey"/>
    public long RunAggregateSize { get; set; }

    public void OnPutSucceeded(long token, string shardId, string sequenceNumber)
    {
        var count = FlowSink.CountOf(token);
        sink.Counters.Sent(count, FlowSink.LengthOf(token));
        sink.OnSucceeded();
        File.Acknowledge(FlowSink.TicketOf(token), count);
    }

    public void OnPutFailed(long token, RecordFailure failure) => sink.OnFailed(this, token, failure);
}
