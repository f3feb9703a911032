namespace Kinesis.Clients.Agent.Processing;

/// <summary>What <see cref="ProcessingChain.Process"/> did with a record.</summary>
internal enum ProcessingOutcome
{
    /// <summary>No option changed the record: send it as it was given.</summary>
    Unchanged,

    /// <summary>The record was converted: send the output buffer's written bytes.</summary>
    Converted,

    /// <summary>
    /// An option could not convert the record (the line did not match its log format, ...): send the raw record
    /// and count a processing error. The Java agent dropped such LOGTOJSON records; we keep the data.
    /// </summary>
    Failed,
}
