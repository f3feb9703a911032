using System.Diagnostics;
using System.Runtime;

namespace Kinesis.Clients.Producer.Load;

/// <summary>
/// A warm-up long enough for the JIT to finish tiering the hot code. On one core the runtime delays tier-up
/// tenfold (its single-processor multiplier for the call-counting delay) and restarts the delay on any new
/// tier-0 work, so tier-up of the producer's hot paths takes 15-25 s there. The former 200,000-record warm-up
/// (under a second) left most of a 3,000,000-record run in tier-0 and instrumented code: the figure then
/// told more about the JIT's schedule than about the producer, and moved by 0.5 CPU-s per million records
/// from run to run depending on when tier-up landed. A long-lived producer runs tiered-up code.
/// </summary>
internal static class JitSettling
{
    private const int RoundRecords = 200_000;

    /// <summary>Produces rounds of records for at least <paramref name="seconds"/> (one round when 0).</summary>
    public static async Task<(long Records, TimeSpan Elapsed, long LastRoundMethods)> WarmUpAsync(Func<int, Task> produce, int seconds)
    {
        var clock = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(Math.Max(0, seconds));
        long records = 0;
        long lastRoundMethods;
        do
        {
            var before = JitInfo.GetCompiledMethodCount();
            await produce(RoundRecords);
            records += RoundRecords;
            lastRoundMethods = JitInfo.GetCompiledMethodCount() - before;
        }
        while (clock.Elapsed < limit);

        return (records, clock.Elapsed, lastRoundMethods);
    }
}
