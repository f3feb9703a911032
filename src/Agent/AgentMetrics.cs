using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Agent;

/// <summary>
/// The agent's instruments on the <c>Kinesis.Clients.Agent</c> meter, uploaded to CloudWatch under
/// <c>AWSKinesisAgent</c> with the Java agent's names, units and <c>Destination</c> dimension. The per-request
/// metrics (<c>RecordSendAttempts</c>, <c>RecordsSent</c>, <c>BytesSent</c>, <c>RecordSendErrors</c>,
/// <c>ServiceErrors</c>) are one sample per request, as the Java agent's senders record them, so their averages and
/// sample counts mean what they meant there. Parsing is counted per flow in plain fields and added to the counters
/// once a second, so a million lines a second cost no more than an interlocked add each.
/// </summary>
internal sealed class AgentMetrics : IDisposable
{
    public const string MeterName = "Kinesis.Clients.Agent";

    /// <summary>The Kinesis Agent's CloudWatch namespace.</summary>
    public const string Namespace = "AWSKinesisAgent";

    /// <summary>The Java agent's dimension: <c>KinesisStream:&lt;name&gt;</c> or <c>DeliveryStream:&lt;name&gt;</c>.</summary>
    public const string DestinationTag = "Destination";

    public const string FileTag = "File";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _attempts;
    private readonly Counter<long> _recordsSent;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _sendErrors;
    private readonly Counter<long> _serviceErrors;
    private readonly Counter<long> _recordsParsed;
    private readonly Counter<long> _bytesParsed;
    private readonly Counter<long> _processingErrors;
    private readonly Counter<long> _recordsResent;
    private readonly ConcurrentDictionary<(DestinationKind, string), StreamCounters> _destinations = new();
    private readonly ConcurrentDictionary<string, (StreamCounters Counters, Func<IEnumerable<(string File, long BytesBehind)>> Files)> _backlogs = new(StringComparer.Ordinal);
    private readonly ITimer _timer;
    private readonly Lock _publishLock = new();

    public AgentMetrics(TimeProvider timeProvider)
    {
        // The Java agent's senders' metrics.
        _attempts = _meter.CreateCounter<long>("RecordSendAttempts", "{record}", "Records in a request (one sample per request, retries included).");
        _recordsSent = _meter.CreateCounter<long>("RecordsSent", "{record}", "Records a request stored (one sample per answered request).");
        _bytesSent = _meter.CreateCounter<long>("BytesSent", "By", "Data bytes of the records a request stored (after processing).");
        _sendErrors = _meter.CreateCounter<long>("RecordSendErrors", "{record}", "Records a request's answer refused; they are retried.");
        _serviceErrors = _meter.CreateCounter<long>("ServiceErrors", "{request}", "1 for a request that failed as a whole (error, throttling, network), else 0.");

        // Ours.
        _recordsParsed = _meter.CreateCounter<long>("RecordsParsed", "{record}", "Records cut from the tailed files.");
        _bytesParsed = _meter.CreateCounter<long>("BytesParsed", "By", "Bytes of the records cut from the tailed files.");
        _processingErrors = _meter.CreateCounter<long>("ProcessingErrors", "{record}", "Records a data processing option could not convert; they are sent raw.");
        _recordsResent = _meter.CreateCounter<long>("RecordsResent", "{record}", "Records the producer gave up on, sent again by the agent, so none is lost.");
        _meter.CreateObservableGauge("BytesBehind", ObserveBytesBehind, "By", "Bytes of a tailed file not yet acknowledged.");
        _timer = timeProvider.CreateTimer(_ => Publish(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The agent's own meter (for a CloudWatch publisher that counts no other).</summary>
    public Meter Meter => _meter;

    /// <summary>What is uploaded to CloudWatch: every metric per <c>Destination</c> only, and per file for BytesBehind.</summary>
    public static IReadOnlyList<MetricDefinition> Definitions { get; } =
    [
        Define("RecordSendAttempts", MetricUnit.Count),
        Define("RecordsSent", MetricUnit.Count),
        Define("BytesSent", MetricUnit.Bytes),
        Define("RecordSendErrors", MetricUnit.Count),
        Define("ServiceErrors", MetricUnit.Count),
        Define("RecordsParsed", MetricUnit.Count),
        Define("BytesParsed", MetricUnit.Bytes),
        Define("ProcessingErrors", MetricUnit.Count),
        Define("RecordsResent", MetricUnit.Count),
        Define("BytesBehind", MetricUnit.Bytes) with { Dimensions = [DestinationTag, FileTag] },
    ];

    /// <summary>The counters of the flows writing to one Kinesis stream.</summary>
    public StreamCounters ForStream(string streamName) => ForDestination(DestinationKind.KinesisStream, streamName);

    /// <summary>The counters of the flows writing to one destination.</summary>
    public StreamCounters ForDestination(DestinationKind kind, string name) =>
        _destinations.GetOrAdd((kind, name), static (key, metrics) => new StreamCounters(key.Item1, key.Item2, metrics), this);

    /// <summary>Registers where a flow's per-file backlog is read from (its tailer's progress).</summary>
    public void TrackBacklog(string flowId, StreamCounters counters, Func<IEnumerable<(string File, long BytesBehind)>> progress) =>
        _backlogs[flowId] = (counters, progress);

    /// <summary>Adds what was counted since the last call to the counters.</summary>
    public void Publish()
    {
        lock (_publishLock)
        {
            foreach (var destination in _destinations.Values)
            {
                var tag = destination.Tag;
                var d = destination.TakeDeltas();
                Add(_recordsParsed, d[0], tag);
                Add(_bytesParsed, d[1], tag);
                Add(_processingErrors, d[2], tag);
                Add(_recordsResent, d[3], tag);
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Publish();
        _meter.Dispose();
    }

    /// <summary>One request's samples, recorded as the Java agent's senders do: the stored and refused counts only for an answered request.</summary>
    internal void RecordRequest(StreamCounters destination, int attempted, int sent, long sentBytes, int failed, bool serviceError)
    {
        var tag = destination.Tag;
        _attempts.Add(attempted, tag);
        _serviceErrors.Add(serviceError ? 1 : 0, tag);
        if (!serviceError)
        {
            _bytesSent.Add(sentBytes, tag);
            _recordsSent.Add(sent, tag);
            _sendErrors.Add(failed, tag);
        }
    }

    private static MetricDefinition Define(string name, MetricUnit unit) =>
        new(name, MetricsLevel.Summary, unit) { MaxGranularity = MetricsGranularity.Global, Dimensions = [DestinationTag] };

    private static void Add(Counter<long> counter, long value, KeyValuePair<string, object?> tag)
    {
        if (value != 0)
        {
            counter.Add(value, tag);
        }
    }

    private IEnumerable<Measurement<long>> ObserveBytesBehind()
    {
        foreach (var (counters, files) in _backlogs.Values)
        {
            foreach (var (file, behind) in files())
            {
                yield return new Measurement<long>(behind, counters.Tag, new KeyValuePair<string, object?>(FileTag, file));
            }
        }
    }
}
