namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// Where tailed records go. The agent's shipping layer implements it over <c>KinesisProducer</c>; tests
/// implement it in memory. Records of one file arrive in file order with consecutive tickets; records of
/// different files may arrive concurrently.
/// </summary>
internal interface IRecordSink
{
    /// <summary>
    /// Takes consecutive records of one file (lines, or multi-line groups, with their line breaks as in the file), with
    /// consecutive tickets from <paramref name="firstTicket"/>. Completes once they are accepted for sending,
    /// which waits while the agent's memory is full: the file is the backlog.
    /// </summary>
    /// <param name="records">The records; their bytes are valid only until the returned task completes.</param>
    /// <param name="file">The file generation they came from; call <see cref="ITailedFile.Acknowledge"/> with
    /// their tickets once they are safely stored.</param>
    /// <param name="firstTicket">The first record's number within the file generation: 0, 1, 2, ... without gaps.</param>
    /// <param name="cancellationToken">Stops waiting for room.</param>
    ValueTask WriteAsync(FramedRecords records, ITailedFile file, long firstTicket, CancellationToken cancellationToken);

    /// <summary>
    /// A reader is about to wait for acknowledgements (too many records of its file outstanding): whatever the
    /// sink holds back to batch (aggregates lingering for more records) should go now, since nothing more will
    /// come from that reader until some of it is acknowledged.
    /// </summary>
    void Hurry();
}
