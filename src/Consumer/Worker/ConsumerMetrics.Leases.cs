using System.Diagnostics.Metrics;
using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>The KCL's lease renewer (<c>RenewAllLeases</c>) and taker (<c>TakeLeases</c>) metrics, per worker.</summary>
internal sealed partial class ConsumerMetrics : ILeaseMetrics
{
    private readonly Gauge<int> _currentLeases;
    private readonly Counter<long> _lostLeases;
    private readonly Histogram<int> _renewLeaseSuccess;
    private readonly Histogram<double> _renewLeaseTime;
    private readonly TakeInstruments _take;

    public void Renewed(bool success, TimeSpan elapsed)
    {
        var tags = ConsumerTags.Worker(ConsumerTags.RenewAllLeases, _stream, _workerId);
        _renewLeaseSuccess.Record(success ? 1 : 0, tags);
        _renewLeaseTime.Record(elapsed.TotalMilliseconds, tags);
    }

    public void RenewedAll(bool success, TimeSpan elapsed, int current, int lost)
    {
        var tags = ConsumerTags.Worker(ConsumerTags.RenewAllLeases, _stream, _workerId);
        _lostLeases.Add(lost, tags);
        _currentLeases.Record(current, tags);
        Outcome(tags, success, elapsed);
    }

    public void Listed(bool success, TimeSpan elapsed)
    {
        var tags = ConsumerTags.Worker(ConsumerTags.TakeLeases, _stream, _workerId);
        _take.ListSuccess.Record(success ? 1 : 0, tags);
        _take.ListTime.Record(elapsed.TotalMilliseconds, tags);
    }

    public void Balanced(LeaseBalancerDecision decision)
    {
        var tags = ConsumerTags.Worker(ConsumerTags.TakeLeases, _stream, _workerId);
        _take.Expired.Record(decision.Available, tags);
        _take.Spillover.Record(decision.Spillover, tags);
        _take.ToTake.Record(decision.ToTake.Count + decision.ToSteal.Count, tags);
        _take.Needed.Record(decision.Needed, tags);
        _take.Workers.Record(decision.Workers, tags);
        _take.Total.Record(decision.Leases, tags);
        _take.VeryOld.Record(decision.VeryOld, tags);
    }

    public void Took(bool success, TimeSpan elapsed)
    {
        var tags = ConsumerTags.Worker(ConsumerTags.TakeLeases, _stream, _workerId);
        _take.TakeSuccess.Record(success ? 1 : 0, tags);
        _take.TakeTime.Record(elapsed.TotalMilliseconds, tags);
    }

    public void TookAll(bool success, TimeSpan elapsed, bool listed, int taken, int untaken)
    {
        var tags = ConsumerTags.Worker(ConsumerTags.TakeLeases, _stream, _workerId);
        if (listed)
        {
            // The KCL's taker returns before these when the table could not be listed.
            _take.Taken.Add(taken, tags);
            _take.Untaken.Add(untaken, tags);
        }

        Outcome(tags, success, elapsed);
    }

    private (Gauge<int>, Counter<long>, Histogram<int>, Histogram<double>) CreateRenewalInstruments() =>
    (
        _meter.CreateGauge<int>("CurrentLeases", "{lease}", "Leases this worker holds after a renewal round."),
        _meter.CreateCounter<long>("LostLeases", "{lease}", "Leases found lost in a renewal round (taken by another worker, or expired by this worker's clock)."),
        _meter.CreateHistogram<int>("RenewLease.Success", "{success}", "1 per renewal that reached the lease table, 0 per renewal that failed."),
        _meter.CreateHistogram<double>("RenewLease.Time", "ms", "Time of one lease renewal.")
    );

    private TakeInstruments CreateTakeInstruments() => new()
    {
        Taken = _meter.CreateCounter<long>("TakenLeases", "{lease}", "Leases taken in a take round."),
        Untaken = _meter.CreateCounter<long>("UntakenLeases", "{lease}", "Leases another worker got first in a take round."),
        Expired = _meter.CreateGauge<int>("ExpiredLeases", "{lease}", "Leases free to take (unowned or expired) in a take round."),
        Spillover = _meter.CreateGauge<int>("LeaseSpillover", "{lease}", "How far MaxLeasesForWorker cut this worker's fair share."),
        ToTake = _meter.CreateGauge<int>("LeasesToTake", "{lease}", "Leases a take round decided to take or steal."),
        Needed = _meter.CreateGauge<int>("NeededLeases", "{lease}", "Leases this worker lacked to reach its fair share."),
        Workers = _meter.CreateGauge<int>("NumWorkers", "{worker}", "Workers holding leases, this one included."),
        Total = _meter.CreateGauge<int>("TotalLeases", "{lease}", "Leases in the table not yet finished."),
        VeryOld = _meter.CreateGauge<int>("VeryOldLeases", "{lease}", "Leases taken above the fair share for having expired long ago."),
        ListSuccess = _meter.CreateHistogram<int>("ListLeases.Success", "{success}", "1 per lease table listing, 0 per failed one."),
        ListTime = _meter.CreateHistogram<double>("ListLeases.Time", "ms", "Time of one lease table listing."),
        TakeSuccess = _meter.CreateHistogram<int>("TakeLease.Success", "{success}", "1 per take that reached the lease table, 0 per take that failed."),
        TakeTime = _meter.CreateHistogram<double>("TakeLease.Time", "ms", "Time of one lease take."),
    };

    private sealed class TakeInstruments
    {
        public required Counter<long> Taken { get; init; }

        public required Counter<long> Untaken { get; init; }

        public required Gauge<int> Expired { get; init; }

        public required Gauge<int> Spillover { get; init; }

        public required Gauge<int> ToTake { get; init; }

        public required Gauge<int> Needed { get; init; }

        public required Gauge<int> Workers { get; init; }

        public required Gauge<int> Total { get; init; }

        public required Gauge<int> VeryOld { get; init; }

        public required Histogram<int> ListSuccess { get; init; }

        public required Histogram<double> ListTime { get; init; }

        public required Histogram<int> TakeSuccess { get; init; }

        public required Histogram<double> TakeTime { get; init; }
    }
}
