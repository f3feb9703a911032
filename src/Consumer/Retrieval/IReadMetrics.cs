namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>Where a polling reader reports its calls, in the KCL's terms (<c>KinesisDataFetcher</c>, <c>ExpiredIterator</c>).</summary>
internal interface IReadMetrics
{
    /// <summary>One GetShardIterator call: whether it answered and how long it took.</summary>
    void GotIterator(bool success, TimeSpan elapsed);

    /// <summary>One GetRecords call: whether it answered with records and how long it took.</summary>
    void GotRecords(bool success, TimeSpan elapsed);

    /// <summary>An iterator expired and is replaced.</summary>
    void IteratorExpired();
}
