namespace Kinesis.Clients.Consumer.Leases.Kcl3;

/// <summary>
/// <c>java.util.Random</c>'s generator (the 48-bit linear congruential one every JDK keeps for compatibility): the
/// same seed gives the same numbers as on the JVM. KCL workers agree on things by drawing from it with a fixed seed,
/// so a .NET worker must draw exactly what they draw.
/// </summary>
internal sealed class JavaRandom
{
    private const long Multiplier = 0x5DEECE66DL;
    private const long Addend = 0xBL;
    private const long Mask = (1L << 48) - 1;

    private long _seed;

    /// <summary>As <c>new Random(seed)</c>.</summary>
    public JavaRandom(long seed) => _seed = (seed ^ Multiplier) & Mask;

    /// <summary>As <c>Random.nextInt(bound)</c>: uniform in [0, <paramref name="bound"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bound"/> is not positive.</exception>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var r = Next(31);
        var m = bound - 1;
        if ((bound & m) == 0)
        {
            return (int)((bound * (long)r) >> 31);
        }

        // Java rejects the top, incomplete run of values, detected by this sum overflowing int.
        for (var u = r; unchecked(u - (r = u % bound) + m) < 0; u = Next(31))
        {
        }

        return r;
    }

    /// <summary>As <c>Collections.shuffle(list, random)</c>: the same swaps in the same order.</summary>
    public void Shuffle<T>(IList<T> list)
    {
        ArgumentNullException.ThrowIfNull(list);
        for (var i = list.Count; i > 1; i--)
        {
            var j = NextInt(i);
            (list[i - 1], list[j]) = (list[j], list[i - 1]);
        }
    }

    private int Next(int bits)
    {
        _seed = unchecked((_seed * Multiplier) + Addend) & Mask;
        return unchecked((int)(_seed >> (48 - bits)));
    }
}
