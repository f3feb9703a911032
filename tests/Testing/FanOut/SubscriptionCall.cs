namespace Kinesis.Clients.Testing;

/// <summary>One SubscribeToShard request a <see cref="SubscribeToShardServer"/> received, and what it did with it.</summary>
public sealed class SubscriptionCall
{
    private readonly Lock _gate = new();
    private readonly List<string> _sequenceNumbers = [];
    private readonly List<string> _continuations = [];
    private int _events;
    private string? _lastContinuation;
    private string? _endedBy;
    private string? _refusedWith;
    private string? _refusalMessage;
    private bool _accepted;

    internal SubscriptionCall(int number, string consumerArn, string shardId, string positionType, string? sequenceNumber, DateTimeOffset? timestamp, bool cbor)
    {
        Number = number;
        ConsumerArn = consumerArn;
        ShardId = shardId;
        StartingPositionType = positionType;
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        IsCbor = cbor;
    }

    /// <summary>1 for the first request the server received, and so on.</summary>
    public int Number { get; }

    /// <summary>The request's <c>ConsumerARN</c>.</summary>
    public string ConsumerArn { get; }

    /// <summary>The request's <c>ShardId</c>.</summary>
    public string ShardId { get; }

    /// <summary>The request's <c>StartingPosition.Type</c>, e.g. <c>AFTER_SEQUENCE_NUMBER</c>.</summary>
    public string StartingPositionType { get; }

    /// <summary>The request's <c>StartingPosition.SequenceNumber</c>.</summary>
    public string? SequenceNumber { get; }

    /// <summary>The request's <c>StartingPosition.Timestamp</c>.</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>Whether the request (and so its events) was CBOR rather than JSON.</summary>
    public bool IsCbor { get; }

    /// <summary>How the request came: HTTP version, TLS version and the protocol ALPN agreed on.</summary>
    public SubscriptionConnection Connection { get; internal init; } = SubscriptionConnection.Unknown;

    /// <summary>The error code the request was refused with, or <see langword="null"/> when it was accepted.</summary>
    public string? RefusedWith
    {
        get { lock (_gate) { return _refusedWith; } }
    }

    /// <summary>The message the request was refused with, or <see langword="null"/> when it was accepted.</summary>
    public string? RefusalMessage
    {
        get { lock (_gate) { return _refusalMessage; } }
    }

    /// <summary>Whether the subscription passed every check and its event stream started.</summary>
    public bool Accepted
    {
        get { lock (_gate) { return _accepted; } }
    }

    /// <summary><c>SubscribeToShardEvent</c>s sent so far.</summary>
    public int EventsSent
    {
        get { lock (_gate) { return _events; } }
    }

    /// <summary>The sequence numbers of the records sent so far, in order.</summary>
    public IReadOnlyList<string> SequenceNumbersSent
    {
        get { lock (_gate) { return [.. _sequenceNumbers]; } }
    }

    /// <summary>The continuation sequence numbers of the events sent so far, in order.</summary>
    public IReadOnlyList<string> ContinuationsSent
    {
        get { lock (_gate) { return [.. _continuations]; } }
    }

    /// <summary>The continuation sequence number of the last event sent.</summary>
    public string? LastContinuation
    {
        get { lock (_gate) { return _lastContinuation; } }
    }

    /// <summary>
    /// Why the stream ended: <c>Lifetime</c>, a <see cref="SubscriptionFault"/> name, <c>ShardEnd</c>,
    /// <c>ClientGone</c>, <c>TakenOver</c>, <c>ServerStopped</c>; <see langword="null"/> while it runs.
    /// </summary>
    public string? EndedBy
    {
        get { lock (_gate) { return _endedBy; } }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Number} {ShardId} {StartingPositionType} {SequenceNumber} ({Connection}): " +
        (RefusedWith is { } code ? $"refused {code}: {RefusalMessage}"
            : Accepted ? $"{EventsSent} events, {SequenceNumbersSent.Count} records, ended by {EndedBy ?? "nothing yet"}"
            : $"not answered ({EndedBy ?? "pending"})");

    internal void Accept()
    {
        lock (_gate)
        {
            _accepted = true;
        }
    }

    internal void Refused(string code, string message)
    {
        lock (_gate)
        {
            _refusedWith = code;
            _refusalMessage = message;
        }
    }

    internal void Sent(IEnumerable<string> sequenceNumbers, string? continuation)
    {
        lock (_gate)
        {
            _events++;
            _sequenceNumbers.AddRange(sequenceNumbers);
            _lastContinuation = continuation;
            if (continuation is not null)
            {
                _continuations.Add(continuation);
            }
        }
    }

    internal void Ended(string reason)
    {
        lock (_gate)
        {
            _endedBy ??= reason;
        }
    }
}
