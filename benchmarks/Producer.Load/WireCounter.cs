using System.Diagnostics.Metrics;

namespace Kinesis.Clients.Producer.Load;

/// <summary>The producer's KinesisRecordsDataPut (what PutRecords counts: data and key) and UserRecordsDataPut.</summary>
internal sealed class WireCounter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _kinesisBytes;
    private long _userBytes;
    private long _kinesisRecords;

    public WireCounter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Kinesis.Clients.Producer" && instrument.Name is "KinesisRecordsDataPut" or "UserRecordsDataPut" or "KinesisRecordsPut")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            switch (instrument.Name)
            {
                case "KinesisRecordsDataPut":
                    Interlocked.Add(ref _kinesisBytes, value);
                    break;
                case "UserRecordsDataPut":
                    Interlocked.Add(ref _userBytes, value);
                    break;
                default:
                    Interlocked.Add(ref _kinesisRecords, value);
                    break;
            }
        });
        _listener.Start();
    }

    public long KinesisBytes => Interlocked.Read(ref _kinesisBytes);

    public long UserBytes => Interlocked.Read(ref _userBytes);

    public long KinesisRecords => Interlocked.Read(ref _kinesisRecords);

    public void Dispose() => _listener.Dispose();
}
