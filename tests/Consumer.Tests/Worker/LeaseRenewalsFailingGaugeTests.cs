using System.Diagnostics.Metrics;
using Kinesis.Clients.Consumer.Worker;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>The <c>LeaseRenewalsFailing</c> gauge shows how many held leases' renewals fail now.</summary>
public sealed class LeaseRenewalsFailingGaugeTests
{
    [Fact]
    public void The_gauge_is_the_sum_of_the_changes_reported_for_its_stream()
    {
        var stream = "gauge-" + Guid.NewGuid().ToString("N");
        using var metrics = new ConsumerMetrics(stream, "worker");
        int? seen = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter && instrument.Name == "LeaseRenewalsFailing")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "StreamName" && (string?)tag.Value == stream)
                {
                    seen = value;
                }
            }
        });
        listener.Start();

        metrics.RenewalsFailing(+1);
        metrics.RenewalsFailing(+1);
        listener.RecordObservableInstruments();
        var during = seen;
        metrics.RenewalsFailing(-1);
        metrics.RenewalsFailing(-1);
        listener.RecordObservableInstruments();

        Assert.Equal(2, during);
        Assert.Equal(0, seen);
        Assert.Contains(ConsumerMetrics.Definitions, d => d.Name == "LeaseRenewalsFailing");
    }
}
