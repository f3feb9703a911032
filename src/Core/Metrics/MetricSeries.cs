using System.Numerics;
using System.Runtime.InteropServices;

namespace Kinesis.Clients.Metrics;

/// <summary>
/// The statistics of one series, gathered from any number of threads. Writers are spread over stripes by the
/// processor they run on, each stripe its own small lock, so threads rarely meet; a stripe is allocated the first
/// time a processor records into the series, and never again after.
/// </summary>
/// <remarks>
/// A series idle for a whole interval is retired and dropped from its table. A writer that still holds it sees the
/// retired flag under the stripe lock and records into a fresh series instead; because the flag is set (with a
/// full fence) before the final harvest locks each stripe, every sample lands either in that harvest or in the
/// fresh series, never nowhere.
/// </remarks>
internal sealed class MetricSeries
{
    private static readonly int StripeMask =
        (int)BitOperations.RoundUpToPowerOf2((uint)Math.Clamp(Environment.ProcessorCount, 1, 16)) - 1;

    private readonly Stripe?[] _stripes = new Stripe?[StripeMask + 1];
    private int _retired;

    public MetricSeries(SeriesKey key)
    {
        Key = key;
    }

    public SeriesKey Key { get; }

    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    /// <returns><see langword="false"/> when the series was retired; record into a fresh one.</returns>
    public bool TryRecord(double value)
    {
        var index = Thread.GetCurrentProcessorId() & StripeMask;
        var stripe = Volatile.Read(ref _stripes[index]) ?? AddStripe(index);
        lock (stripe)
        {
            if (Volatile.Read(ref _retired) != 0)
            {
                return false;
            }

            stripe.Statistics.Add(value);
        }

        return true;
    }

    /// <summary>Takes what was recorded since the last harvest.</summary>
    public SampleStatistics Harvest()
    {
        var total = default(SampleStatistics);
        for (var i = 0; i < _stripes.Length; i++)
        {
            var stripe = Volatile.Read(ref _stripes[i]);
            if (stripe is null)
            {
                continue;
            }

            lock (stripe)
            {
                total.Merge(stripe.Statistics);
                stripe.Statistics = default;
            }
        }

        return total;
    }

    /// <summary>Stops further recording; harvest once more afterwards to collect what raced in.</summary>
    public void Retire() => Interlocked.Exchange(ref _retired, 1);

    private Stripe AddStripe(int index)
    {
        var created = new Stripe();
        return Interlocked.CompareExchange(ref _stripes[index], created, null) ?? created;
    }

    private sealed class Stripe
    {
        public SampleStatistics Statistics;

        // Keeps stripes written by different processors off one cache line; never read.
#pragma warning disable CS0169
        private readonly CacheLinePadding _padding;
#pragma warning restore CS0169
    }

    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private readonly struct CacheLinePadding
    {
    }
}
