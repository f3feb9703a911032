using System.Diagnostics.Metrics;
using System.Text;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>The KCL metric names on the consumer's meter, including iterators renewed after expiring.</summary>
[Trait("Category", "Engine")]
public sealed class ConsumerMetricsTests : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly LocalAws _aws;

    public ConsumerMetricsTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Records_leases_and_an_expired_iterator_show_on_the_consumer_meter()
    {
        using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = _aws.KinesisEndpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        await using var stream = await _aws.NewStreamAsync(1, "metrics", through: kinesis);
        await kinesis.PutRecordsAsync(stream, Enumerable.Range(0, 30).Select(i => new PutRecordsEntry($"k{i}", Encoding.UTF8.GetBytes($"r{i}"))).ToList()).WaitAsync(Deadline);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        proxy.Faults.FailNext(1, 400, "GetRecords", "ExpiredIteratorException");

        var totals = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Kinesis.Clients.Consumer")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        // Other tests' consumers share the meter name: keep only this stream's measurements.
        void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var mine = false;
            foreach (var tag in tags)
            {
                mine |= tag.Key == "StreamName" && (string?)tag.Value == stream;
            }

            if (!mine)
            {
                return;
            }

            lock (totals)
            {
                var level = instrument.IsObservable || instrument is Gauge<int>;
                totals[instrument.Name] = level ? value : totals.GetValueOrDefault(instrument.Name) + value;
            }
        }

        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        var log = new ProcessingLog();
        await using var application = _aws.NewTable("app");
        using var stop = new CancellationTokenSource();
        var consumer = new KinesisConsumer(
            new KinesisConsumerOptions
            {
                ApplicationName = application,
                StreamName = stream,
                WorkerId = "metrics",
                InitialPosition = InitialPosition.TrimHorizon,
                FailoverTime = TimeSpan.FromSeconds(3),
                IdleTimeBetweenReads = TimeSpan.FromMilliseconds(200),
                KinesisEndpoint = proxy.Endpoint,
                DynamoDbEndpoint = _aws.DynamoDbEndpoint,
                Region = _aws.Region,
                Credentials = _aws.Credentials,
                MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            },
            new RecordingFactory(log, "metrics"));
        var run = Task.Run(() => consumer.RunAsync(stop.Token));

        long SoFar(string name)
        {
            lock (totals)
            {
                return totals.GetValueOrDefault(name);
            }
        }

        // The counter is added once the processor returns, a moment after the log saw the records, and the lease
        // count at the renewal round after the take: wait for all. (After the shutdown's release it is 0 again.)
        await Eventually.HoldsAsync(
            () => log.Records.Select(r => r.Record.SequenceNumber).Distinct().Count() >= 30 && SoFar("RecordsProcessed") >= 30 && SoFar("CurrentLeases") == 1,
            () => $"30 records logged and counted, 1 lease held; {log.Records.Select(r => r.Record.SequenceNumber).Distinct().Count()} logged, {SoFar("RecordsProcessed")} counted, {SoFar("CurrentLeases")} held",
            Deadline);

        listener.RecordObservableInstruments();
        await stop.CancelAsync();
        await run.WaitAsync(Deadline);

        lock (totals)
        {
            Assert.True(totals.GetValueOrDefault("RecordsProcessed") >= 30);
            Assert.True(totals.GetValueOrDefault("DataBytesProcessed") > 0);
            Assert.Equal(1, totals.GetValueOrDefault("TakenLeases"));
            Assert.Equal(1, totals.GetValueOrDefault("ExpiredIterator"));
            Assert.True(totals.ContainsKey("MillisBehindLatest"));
        }
    }
}
