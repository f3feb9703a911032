using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>
/// An Amazon Data Firehose endpoint on 127.0.0.1 (Kestrel, a free port) speaking JSON 1.1 (<c>Firehose_20150804</c>):
/// Create/Describe/DeleteDeliveryStream, PutRecord and PutRecordBatch with the service's limits and error replies,
/// each delivery stream's Direct PUT quota (per-entry <c>ServiceUnavailableException</c> "Slow down." when exceeded),
/// injectable faults and latency. Every accepted record is stored, per delivery stream and in order, so tests read
/// back exactly the bytes delivered.
/// </summary>
/// <remarks>
/// As with the kit's other loopback servers, the SigV4 signature is checked for presence and scope (service
/// <c>firehose</c>), not recomputed. No npm engine implements Firehose, which is why this server exists.
/// </remarks>
public sealed partial class LoopbackFirehose : IAsyncDisposable
{
    /// <summary>The largest body accepted (a full 4 MiB batch in base64 with its JSON), beyond which Kestrel refuses.</summary>
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    private readonly LoopbackHost _host;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DeliveryStreamState> _streams = new(StringComparer.Ordinal);
    private readonly Queue<FirehoseFault> _faults = new();
    private readonly List<string> _rejections = [];
    private readonly ConditionWaiters _waiters;
    private readonly TimeProvider _time;
    private FirehoseQuota _defaultQuota;
    private TimeSpan _latency;
    private bool _storesRecords = true;
    private Action<string, byte[]>? _onAccepted;
    private int _attempts;
    private long _recordIds;

    private LoopbackFirehose(LoopbackHost host, FirehoseQuota quota, TimeProvider time)
    {
        _waiters = new ConditionWaiters(_gate);
        _host = host;
        _defaultQuota = quota;
        _time = time;
        Endpoint = host.Endpoint;
    }

    /// <summary>The endpoint to set as the client's <c>ServiceUrl</c>, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Every request received, whatever became of it.</summary>
    public int Attempts
    {
        get
        {
            lock (_gate)
            {
                return _attempts;
            }
        }
    }

    /// <summary>The error codes answered so far, whole-call and per entry (injected faults, broken rules, quota), in order.</summary>
    public IReadOnlyList<string> Rejections
    {
        get
        {
            lock (_gate)
            {
                return [.. _rejections];
            }
        }
    }

    /// <summary>How long every answer is held back. <value>Default: none.</value></summary>
    public TimeSpan Latency
    {
        get
        {
            lock (_gate)
            {
                return _latency;
            }
        }

        set
        {
            lock (_gate)
            {
                _latency = value;
            }
        }
    }

    /// <summary>
    /// Whether accepted records are kept for <see cref="Records"/>; a load run that sends gigabytes turns it off and
    /// counts through <see cref="OnAccepted"/> instead. <value>Default: <see langword="true"/>.</value>
    /// </summary>
    public bool StoresRecords
    {
        get
        {
            lock (_gate)
            {
                return _storesRecords;
            }
        }

        set
        {
            lock (_gate)
            {
                _storesRecords = value;
            }
        }
    }

    /// <summary>
    /// Called with the delivery stream's name and the data of every record accepted, in acceptance order, under the
    /// server's lock (keep it short). <value>Default: none.</value>
    /// </summary>
    public Action<string, byte[]>? OnAccepted
    {
        get
        {
            lock (_gate)
            {
                return _onAccepted;
            }
        }

        set
        {
            lock (_gate)
            {
                _onAccepted = value;
            }
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="quota">The quota of delivery streams created from now on; <see cref="FirehoseQuota.Default"/> when omitted.</param>
    /// <param name="timeProvider">The clock the quota's buckets refill on; the system clock when omitted.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<LoopbackFirehose> StartAsync(FirehoseQuota? quota = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        LoopbackFirehose? server = null;
        var host = await LoopbackHost.StartAsync(
            context => server!.HandleAsync(context),
            configure: kestrel => kestrel.Limits.MaxRequestBodySize = MaxBodyBytes,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        server = new LoopbackFirehose(host, quota ?? FirehoseQuota.Default, timeProvider ?? TimeProvider.System);
        return server;
    }

    /// <summary>Creates a Direct PUT delivery stream (what CreateDeliveryStream does), active at once.</summary>
    /// <returns><see langword="false"/> when it exists already.</returns>
    public bool CreateDeliveryStream(string name, FirehoseQuota? quota = null)
    {
        lock (_gate)
        {
            if (_streams.ContainsKey(name))
            {
                return false;
            }

            _streams[name] = new DeliveryStreamState(name, ArnOf(name), quota ?? _defaultQuota, _time);
            return true;
        }
    }

    /// <summary>Deletes a delivery stream and what it stored.</summary>
    /// <returns><see langword="false"/> when there was none.</returns>
    public bool DeleteDeliveryStream(string name)
    {
        lock (_gate)
        {
            return _streams.Remove(name);
        }
    }

    /// <summary>Sets the quota of one delivery stream (its buckets start full), or, with no name, of streams created from now on.</summary>
    public void SetQuota(FirehoseQuota quota, string? deliveryStreamName = null)
    {
        ArgumentNullException.ThrowIfNull(quota);
        lock (_gate)
        {
            if (deliveryStreamName is null)
            {
                _defaultQuota = quota;
            }
            else
            {
                Stream(deliveryStreamName).SetQuota(quota);
            }
        }
    }

    /// <summary>The records a delivery stream accepted, in acceptance order, byte for byte.</summary>
    /// <exception cref="KeyNotFoundException">No such delivery stream.</exception>
    public IReadOnlyList<byte[]> Records(string deliveryStreamName)
    {
        lock (_gate)
        {
            return [.. Stream(deliveryStreamName).Records];
        }
    }

    /// <summary>How many entries of a delivery stream were refused for its quota.</summary>
    public long ThrottledEntries(string deliveryStreamName)
    {
        lock (_gate)
        {
            return Stream(deliveryStreamName).ThrottledEntries;
        }
    }

    /// <summary>Answers the next <paramref name="count"/> put calls (PutRecord, PutRecordBatch) with <paramref name="fault"/>.</summary>
    public void FailNext(int count, FirehoseFault fault)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>Waits until a delivery stream holds at least <paramref name="count"/> records and returns them all.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>; the message says how many.</exception>
    public async Task<IReadOnlyList<byte[]>> WaitForRecordsAsync(string deliveryStreamName, int count, TimeSpan timeout)
    {
        await _waiters.WaitUntilAsync(
            () => _streams.TryGetValue(deliveryStreamName, out var s) && s.Records.Count >= count,
            $"{count} records in delivery stream {deliveryStreamName}",
            () => $"{CountOf(deliveryStreamName)} stored, {Attempts} requests, rejections: [{string.Join(", ", Rejections.Distinct())}]",
            timeout).ConfigureAwait(false);
        return Records(deliveryStreamName);
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived, served or not.</summary>
    public Task WaitForAttemptsAsync(int count, TimeSpan timeout) =>
        _waiters.WaitUntilAsync(() => _attempts >= count, $"{count} requests", () => $"{Attempts} received", timeout);

    /// <summary>Stops the server; held requests are released.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _host.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static string ArnOf(string name) => "arn:aws:firehose:us-east-1:000000000000:deliverystream/" + name;

    private int CountOf(string name)
    {
        lock (_gate)
        {
            return _streams.TryGetValue(name, out var s) ? s.Records.Count : 0;
        }
    }

    // Called under _gate.
    private DeliveryStreamState Stream(string name) =>
        _streams.TryGetValue(name, out var state) ? state : throw new KeyNotFoundException($"No delivery stream '{name}' on the loopback Firehose.");

    // Called under _gate.
    private void Accept(DeliveryStreamState stream, byte[] data)
    {
        if (_storesRecords)
        {
            stream.Records.Add(data);
        }

        _onAccepted?.Invoke(stream.Name, data);
    }

    private string NextRecordId() =>
        // The service's ids are opaque strings of a few dozen characters; unique is what matters here.
        Interlocked.Increment(ref _recordIds).ToString("D20", CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N");
}
