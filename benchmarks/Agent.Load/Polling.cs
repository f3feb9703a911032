using System.Diagnostics;

namespace Kinesis.Clients.Agent.Load;

internal static class Polling
{
    /// <summary>Checks <paramref name="condition"/> every <paramref name="interval"/> until it holds or <paramref name="timeout"/> passes.</summary>
    /// <returns>Whether it held in time.</returns>
    public static async Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout, TimeSpan interval)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                return false;
            }

            await Task.Delay(interval);
        }

        return true;
    }
}
