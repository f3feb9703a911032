using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Agent;

/// <summary>
/// The agent's instruments on the <c>Kinesis.Clients.Agent</c> meter, uploaded to CloudWatch under
/// <c>AWSKinesisAgent</c>. Records are counted per flow in plain fields and added to the counters once a
/// second, so a million lines a second cost no more than an interlocked add each.
/// </summary>
internal sealed class AgentMetrics : IDisposable
{
    public const string MeterName = "Kinesis.Clients.Agent";

    /// <summary>The Kinesis Agent's CloudWatch namespace.</summary>
    public const string Namespace = "AWSKinesisAgent";

    public const string FileTag = "File";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _recordsParsed;
    private readonly Counter<long> _bytesParsed;
    private readonly Counter<long> _recordsSent;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _sendErrors;
    private readonly Counter<long> _processingErrors;
    private readonly ConcurrentDictionary<string, StreamCounters> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string StreamName, Func<IEnumerable<(string File, long BytesBehind)>> Files)> _backlogs = new(StringComparer.Ordinal);
    private readonly ITimer _timer;
    private readonly Lock _publishLock = new();

    public AgentMetrics(TimeProvider timeProvider)
    {
        _recordsParsed = _meter.CreateCounter<long>("RecordsParsed", "{record}", "Records cut from the tailed files.");
        _bytesParsed = _meter.CreateCounter<long>("BytesParsed", "By", "Bytes of the records cut from the tailed files.");
        _recordsSent = _meter.CreateCounter<long>("RecordsSent", "{record}", "Records acknowledged by Kinesis.");
        _bytesSent = _meter.CreateCounter<long>("BytesSent", "By", "Bytes of the records acknowledged by Kinesis (after processing).");
        _sendErrors = _meter.CreateCounter<long>("RecordSendErrors", "{record}", "Records the producer gave up on; each is sent again, so none is lost.");
        _processingErrors = _meter.CreateCounter<long>("ProcessingErrors", "{record}", "Records a data processing option could not convert; they are sent raw.");
        _meter.CreateObservableGauge("BytesBehind", ObserveBytesBehind, "By", "Bytes of a tailed file not yet acknowledged by Kinesis.");
        _timer = timeProvider.CreateTimer(_ => Publish(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The agent's own meter (for a CloudWatch publisher that counts no other).</summary>
    public Meter Meter => _meter;

    /// <summary>What is uploaded to CloudWatch, per stream (the StreamName dimension), and per file for BytesBehind.</summary>
    public static IReadOnlyList<MetricDefinition> Definitions { get; } =
    [
        new("RecordsParsed", MetricsLevel.Summary, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("BytesParsed", MetricsLevel.Summary, MetricUnit.Bytes) { MaxGranularity = MetricsGranularity.Stream },
        new("RecordsSent", MetricsLevel.Summary, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("BytesSent", MetricsLevel.Summary, MetricUnit.Bytes) { MaxGranularity = MetricsGranularity.Stream },
        new("RecordSendErrors", MetricsLevel.Summary, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("ProcessingErrors", MetricsLevel.Summary, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("BytesBehind", MetricsLevel.Summary, MetricUnit.Bytes) { MaxGranularity = MetricsGranularity.Stream, Dimensions = [FileTag] },
    ];

    /// <summary>The counters of the flows writing to one stream.</summary>
    public StreamCounters ForStream(string streamName) => _streams.GetOrAdd(streamName, static name => new StreamCounters(name));

    /// <summary>Registers where a flow's per-file backlog is read from (its tailer's progress).</summary>
    public void TrackBacklog(string flowId, string streamName, Func<IEnumerable<(string File, long BytesBehind)>> progress) =>
        _backlogs[flowId] = (streamName, progress);

    /// <summary>Adds what was counted since the last call to the counters.</summary>
    public void Publish()
    {
        lock (_publishLock)
        {
            foreach (var stream in _streams.Values)
            {
                var tag = new KeyValuePair<string, object?>(MetricsTags.StreamName, stream.StreamName);
                var d = stream.TakeDeltas();
                Add(_recordsParsed, d[0], tag);
                Add(_bytesParsed, d[1], tag);
                Add(_recordsSent, d[2], tag);
                Add(_bytesSent, d[3], tag);
                Add(_sendErrors, d[4], tag);
                Add(_processingErrors, d[5], tag);
            }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Publish();
        _meter.Dispose();
    }

    private static void Add(Counter<long> counter, long value, KeyValuePair<string, object?> tag)
    {
        if (value != 0)
        {
            counter.Add(value, tag);
        }
    }

    private IEnumerable<Measurement<long>> ObserveBytesBehind()
    {
        foreach (var (stream, files) in _backlogs.Values)
        {
            foreach (var (file, behind) in files())
            {
                yield return new Measurement<long>(
                    behind,
                    new KeyValuePair<string, object?>(MetricsTags.StreamName, stream),
                    new KeyValuePair<string, object?>(FileTag, file));
            }
        }
    }
}

/// <summary>Running totals of one stream's records; updated from any thread, published as deltas.</summary>
internal sealed class StreamCounters(string streamName)
{
    private long _parsed;
    private long _parsedBytes;
    private long _sent;
    private long _sentBytes;
    private long _sendErrors;
    private long _processingErrors;
    private long _skipped;
    private long[] _published = new long[6];

    public string StreamName { get; } = streamName;

    public long RecordsParsed => Volatile.Read(ref _parsed);

    public long RecordsSent => Volatile.Read(ref _sent);

    public long BytesSent => Volatile.Read(ref _sentBytes);

    public long SendErrors => Volatile.Read(ref _sendErrors);

    public long ProcessingErrors => Volatile.Read(ref _processingErrors);

    /// <summary>Records a processing option filtered out (LOGTOJSON lines that do not match): never sent.</summary>
    public long RecordsSkipped => Volatile.Read(ref _skipped);

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

    /// <summary>What grew since the previous call: parsed, parsed bytes, sent, sent bytes, send errors, processing errors.</summary>
    /// <remarks>Called under the publisher's lock only.</remarks>
    public long[] TakeDeltas()
    {
        long[] now =
        [
            Volatile.Read(ref _parsed), Volatile.Read(ref _parsedBytes), Volatile.Read(ref _sent),
            Volatile.Read(ref _sentBytes), Volatile.Read(ref _sendErrors), Volatile.Read(ref _processingErrors),
        ];
        var deltas = new long[now.Length];
        for (var i = 0; i < now.Length; i++)
        {
            deltas[i] = now[i] - _published[i];
        }

        _published = now;
        return deltas;
    }
}
