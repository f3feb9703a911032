namespace Kinesis.Clients.Agent.Configuration;

/// <summary>How each record's partition key is chosen (<c>partitionKeyOption</c>).</summary>
internal enum PartitionKeyOption
{
    /// <summary>
    /// <c>RANDOM</c> (default): a random key per record, spreading records evenly over shards. The Java agent
    /// used the text of a random double below 1,000,000.
    /// </summary>
    Random,

    /// <summary>
    /// <c>DETERMINISTIC</c>: the lowercase hex MD5 of the record's data as sent (after processing), so equal
    /// records land on the same shard. The Java agent meant the same but hashed the whole backing buffer of
    /// unprocessed records (a bug); we hash the record only.
    /// </summary>
    Deterministic,

    /// <summary>
    /// <c>FIELD</c> (our addition): the value of the top-level JSON field <c>partitionKeyField</c> of the
    /// processed record. A record that is not a JSON object, lacks the field or has an empty value is sent with
    /// a random key.
    /// </summary>
    Field,

    /// <summary>
    /// <c>REGEX</c> (our addition): the first capture group of <c>partitionKeyPattern</c> searched in the record
    /// text. A record the pattern does not match (or whose group is empty) is sent with a random key.
    /// </summary>
    Regex,

    /// <summary>
    /// <c>FILE</c> (our addition): the path of the file the record came from, which keeps a file on one shard and
    /// its records in order. Paths longer than 256 characters are hashed into a 32-character key.
    /// </summary>
    File,
}
