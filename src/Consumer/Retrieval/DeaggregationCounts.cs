namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>What <see cref="RecordDeaggregation.AppendTo"/> did with one page of Kinesis records.</summary>
/// <param name="Delivered">User records appended.</param>
/// <param name="Skipped">User records left out for being at or before the position to skip through.</param>
/// <param name="OutOfRange">Delivered sub-records of aggregates whose hash key is outside the shard's range.</param>
/// <param name="DataBytes">Data bytes of the Kinesis records read, which the delivered records hold on to.</param>
/// <param name="LastSubSequenceNumber">The last sub-sequence number of the page's last Kinesis record; 0 for an empty page.</param>
/// <param name="Undecodable">Kinesis records in a record envelope that did not open (damaged, or of an unknown kind), delivered as they are.</param>
internal readonly record struct DeaggregationCounts(int Delivered, int Skipped, int OutOfRange, long DataBytes, long LastSubSequenceNumber, int Undecodable = 0);
