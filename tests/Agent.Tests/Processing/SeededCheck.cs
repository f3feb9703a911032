using CsCheck;

namespace Kinesis.Clients.Agent.Tests.Processing;

/// <summary>
/// Runs a CsCheck property over a fixed sequence of seeds, so every run tests the same cases. A failing case
/// throws with CsCheck's message, which carries the seed that reproduces it.
/// </summary>
internal static class SeededCheck
{
    public static void ForAll<T>(Gen<T> gen, Action<T> assert, int cases = 300, uint stream = 1)
    {
        for (var i = 0UL; i < (ulong)cases; i++)
        {
            var seed = new PCG(stream, (i + 1) * 0x9E3779B97F4A7C15UL).ToString();
            gen.Sample(assert, seed: seed, iter: 1, threads: 1);
        }
    }
}
