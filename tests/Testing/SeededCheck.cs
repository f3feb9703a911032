using CsCheck;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Runs a CsCheck property over a fixed sequence of seeds, so every run tests the same cases. A failing case
/// throws with CsCheck's message, which carries the seed that reproduces it.
/// </summary>
public static class SeededCheck
{
    /// <summary>Checks <paramref name="assert"/> on <paramref name="cases"/> values drawn from <paramref name="gen"/>.</summary>
    /// <param name="gen">Draws the cases.</param>
    /// <param name="assert">Throws (an xunit assertion) when a case breaks the property.</param>
    /// <param name="cases">How many seeds to run, the same ones on every run.</param>
    /// <param name="stream">
    /// Picks another fixed sequence of seeds (a PCG stream), for a property that should see cases other than its
    /// neighbours'.
    /// </param>
    public static void ForAll<T>(Gen<T> gen, Action<T> assert, int cases = 200, uint stream = 1)
    {
        ArgumentNullException.ThrowIfNull(gen);
        for (var i = 0UL; i < (ulong)cases; i++)
        {
            // Seeds spread by the golden-ratio increment, so consecutive cases share no structure.
            var seed = new PCG(stream, (i + 1) * 0x9E3779B97F4A7C15UL).ToString();
            gen.Sample(assert, seed: seed, iter: 1, threads: 1);
        }
    }
}
