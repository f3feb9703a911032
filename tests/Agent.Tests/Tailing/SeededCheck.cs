using CsCheck;

namespace Kinesis.Clients.Agent.Tests.Tailing;

/// <summary>
/// Runs a CsCheck property over a fixed list of seeds, so every run checks the same cases; a failure message
/// carries the seed that reproduces it.
/// </summary>
internal static class SeededCheck
{
    public static void ForAll<T>(Gen<T> gen, Action<T> assert, int cases = 200, uint stream = 7)
    {
        for (var i = 1UL; i <= (ulong)cases; i++)
        {
            gen.Sample(assert, seed: new PCG(stream, i * 0x9E3779B97F4A7C15UL).ToString(), iter: 1, threads: 1);
        }
    }
}
