namespace Kinesis.Clients.Agent;

/// <summary>
/// The counts of the flows writing to one destination: running totals, updated from any thread, published as
/// deltas once a second, and per-request measurements recorded as they happen (one CloudWatch sample per
/// request, as the Java agent's senders record them).
/// </summary>
internal sealed class StreamCounters
{
    private readonly AgentMetrics? _metrics;
    private long _parsed;
    private long _parsedBytes;
    private long _sent;
    private long _sentBytes;
    private long _sendErrors;
    private long _processingErrors;
    private long _attempts;
    private long _serviceErrors;
    private long _skipped;
    private long[] _published = new long[4];

    /// <summary>Counters of a Kinesis stream that record into no meter (tests).</summary>
    public StreamCounters(string streamName)
        : this(DestinationKind.KinesisStream, streamName, null)
    {
    }

    internal StreamCounters(DestinationKind kind, string name, AgentMetrics? metrics)
    {
        Kind = kind;
        StreamName = name;
        Destination = $"{kind}:{name}";
        _metrics = metrics;
        Tag = new KeyValuePair<string, object?>(AgentMetrics.DestinationTag, Destination);
    }

    public DestinationKind Kind { get; }

    /// <summary>The stream's (or delivery stream's) name.</summary>
    public string StreamName { get; }

    /// <summary>The <c>Destination</c> dimension: <c>KinesisStream:&lt;name&gt;</c> or <c>DeliveryStream:&lt;name&gt;</c>.</summary>
    public string Destination { get; }

    internal KeyValuePair<string, object?> Tag { get; }

    public long RecordsParsed => Volatile.Read(ref _parsed);

    /// <summary>Records acknowledged (counted once each, from the acknowledgements).</summary>
    public long RecordsSent => Volatile.Read(ref _sent);

    public long BytesSent => Volatile.Read(ref _sentBytes);

    /// <summary>Records the producer gave up on (and the agent sent again).</summary>
    public long SendErrors => Volatile.Read(ref _sendErrors);

    public long ProcessingErrors => Volatile.Read(ref _processingErrors);

    /// <summary>Records a processing option filtered out (LOGTOJSON lines that do not match): never sent.</summary>
    public long RecordsSkipped => Volatile.Read(ref _skipped);

    /// <summary>Records in every request sent, retries included (<c>RecordSendAttempts</c>).</summary>
    public long RecordSendAttempts => Volatile.Read(ref _attempts);

    /// <summary>Requests that failed as a whole (<c>ServiceErrors</c>).</summary>
    public long ServiceErrors => Volatile.Read(ref _serviceErrors);

    public void Parsed(int records, long bytes)
    {
        Interlocked.Add(ref _parsed, records);
        Interlocked.Add(ref _parsedBytes, bytes);
    }

    public void Sent(int records, int bytes)
    {
        Interlocked.Add(ref _sent, records);
        Interlocked.Add(ref _sentBytes, bytes);
    }

    public void SendError(int records) => Interlocked.Add(ref _sendErrors, records);

    public void ProcessingError() => Interlocked.Increment(ref _processingErrors);

    public void Skipped() => Interlocked.Increment(ref _skipped);

    /// <summary>
    /// One request to the destination: <paramref name="attempted"/> records in it; when Kinesis or Firehose
    /// answered, <paramref name="sent"/> of them (<paramref name="sentBytes"/> data bytes) stored and
    /// <paramref name="failed"/> refused; else <paramref name="serviceError"/>.
    /// </summary>
    public void Request(int attempted, int sent, long sentBytes, int failed, bool serviceError)
    {
        Interlocked.Add(ref _attempts, attempted);
        if (serviceError)
        {
            Interlocked.Increment(ref _serviceErrors);
        }

        _metrics?.RecordRequest(this, attempted, sent, sentBytes, failed, serviceError);
    }

    /// <summary>What grew since the previous call: parsed, parsed bytes, processing errors, records re-sent.</summary>
    /// <remarks>Called under the publisher's lock only.</remarks>
    public long[] TakeDeltas()
    {
        long[] now = [Volatile.Read(ref _parsed), Volatile.Read(ref _parsedBytes), Volatile.Read(ref _processingErrors), Volatile.Read(ref _sendErrors)];
        var deltas = new long[now.Length];
        for (var i = 0; i < now.Length; i++)
        {
            deltas[i] = now[i] - _published[i];
        }

        _published = now;
        return deltas;
    }
}
