namespace Kinesis.Clients.Agent.Processing;

/// <summary>What <see cref="ProcessingChain.Process"/> did with a record.</summary>
internal enum ProcessingOutcome
{
    /// <summary>No option changed the record: send it as it was given.</summary>
    Unchanged,

    /// <summary>The record was converted: send the output buffer's written bytes.</summary>
    Converted,

    /// <summary>
    /// An option could not convert the record (ADDEC2METADATA on a record that is not a JSON object, a regex that
    /// timed out, ...): send the raw record and count a processing error, as the Java agent falls back to the raw data.
    /// </summary>
    Failed,

    /// <summary>
    /// An option filtered the record out (LOGTOJSON: the line does not match the log format): send nothing, count it
    /// as skipped, and let the checkpoint pass it, as the Java agent does.
    /// </summary>
    Skipped,
}
