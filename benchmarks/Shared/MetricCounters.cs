using System.Diagnostics.Metrics;

namespace Kinesis.Clients.Benchmarks.Load;

/// <summary>Reads the producer's own instruments, as a metrics exporter would.</summary>
internal sealed class MetricCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _userRecordsPut;
    private long _kinesisRecordsPut;
    private long _requests;
    private readonly object _lock = new();
    private double _requestMs;
    private long _requestCount;
    private double _bufferingMs;
    private long _bufferingCount;

    public double MeanRequestMs
    {
        get
        {
            lock (_lock)
            {
                return _requestCount == 0 ? 0 : _requestMs / _requestCount;
            }
        }
    }

    public double MeanBufferingMs
    {
        get
        {
            lock (_lock)
            {
                return _bufferingCount == 0 ? 0 : _bufferingMs / _bufferingCount;
            }
        }
    }

    public MetricCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Kinesis.Clients.Producer" &&
                instrument.Name is "UserRecordsPut" or "KinesisRecordsPut" or "KinesisRecordsPerPutRecordsRequest" or "RequestTime" or "BufferingTime")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "UserRecordsPut":
                    Interlocked.Add(ref _userRecordsPut, value);
                    break;
                case "KinesisRecordsPut":
                    Interlocked.Add(ref _kinesisRecordsPut, value);
                    break;
                default:
                    Interlocked.Increment(ref _requests);
                    break;
            }
        });
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            lock (_lock)
            {
                if (instrument.Name == "RequestTime")
                {
                    _requestMs += value;
                    _requestCount++;
                }
                else
                {
                    _bufferingMs += value;
                    _bufferingCount++;
                }
            }
        });
        _listener.Start();
    }

    public long UserRecordsPut => Interlocked.Read(ref _userRecordsPut);

    public long KinesisRecordsPut => Interlocked.Read(ref _kinesisRecordsPut);

    public long Requests => Interlocked.Read(ref _requests);

    public void Reset()
    {
        Interlocked.Exchange(ref _userRecordsPut, 0);
        Interlocked.Exchange(ref _kinesisRecordsPut, 0);
        Interlocked.Exchange(ref _requests, 0);
        lock (_lock)
        {
            _requestMs = _bufferingMs = 0;
            _requestCount = _bufferingCount = 0;
        }
    }

    public void Dispose() => _listener.Dispose();
}
