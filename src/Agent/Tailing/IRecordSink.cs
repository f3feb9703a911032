namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// Where tailed records go. The agent's shipping layer implements it over <c>KinesisProducer</c>; tests
/// implement it in memory. Records of one file arrive in file order with consecutive tickets; records of
/// different files may arrive concurrently.
/// </summary>
internal interface IRecordSink
{
    /// <summary>
    /// Takes one record (a line, or a multi-line group, without its final line break). Completes once the
    /// record is accepted for sending, which waits while the agent's memory is full: the file is the backlog.
    /// </summary>
    /// <param name="record">The record's bytes, valid only until the returned task completes.</param>
    /// <param name="file">The file generation it came from; call <see cref="ITailedFile.Acknowledge"/> with
    /// <paramref name="ticket"/> once the record is safely stored.</param>
    /// <param name="ticket">The record's number within the file generation: 0, 1, 2, ... without gaps.</param>
    /// <param name="cancellationToken">Stops waiting for room.</param>
    ValueTask WriteAsync(ReadOnlyMemory<byte> record, ITailedFile file, long ticket, CancellationToken cancellationToken);
}
