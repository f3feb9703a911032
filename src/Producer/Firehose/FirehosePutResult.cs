namespace Kinesis.Clients.Producer;

/// <summary>Where Firehose stored a record, and how it got there.</summary>
/// <param name="DeliveryStreamName">The delivery stream.</param>
/// <param name="RecordId">The id of the Firehose record holding it.</param>
/// <param name="IsJoined">Whether it travelled joined with other records (<see cref="FirehoseProducerOptions.AggregatedRecordSizeBytes"/>).</param>
/// <param name="Attempts">Every attempt to send it, in order; the last one succeeded.</param>
public sealed record FirehosePutResult(string DeliveryStreamName, string RecordId, bool IsJoined, IReadOnlyList<Attempt> Attempts);
