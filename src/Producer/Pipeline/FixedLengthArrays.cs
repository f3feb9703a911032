namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Arrays of one length, kept for reuse up to a number (a stack, so the most recently used array, likely still in a
/// cache, goes out first). Thread-safe: arrays are rented and returned by callers, the pipeline's loop and the
/// threads that finish requests.
/// </summary>
internal sealed class FixedLengthArrays
{
    private readonly Lock _lock = new();
    private readonly byte[]?[] _kept;
    private int _count;

    /// <param name="length">The length of every array.</param>
    /// <param name="maxKept">The most arrays kept between uses; more are left to the garbage collector.</param>
    public FixedLengthArrays(int length, int maxKept)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxKept);
        Length = length;
        _kept = new byte[]?[maxKept];
    }

    /// <summary>The length of every array.</summary>
    public int Length { get; }

    /// <summary>How many arrays are kept now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>A kept array, or a new one (its content is whatever was there: the caller overwrites what it uses).</summary>
    public byte[] Rent()
    {
        lock (_lock)
        {
            if (_count > 0)
            {
                var array = _kept[--_count]!;
                _kept[_count] = null;
                return array;
            }
        }

        return GC.AllocateUninitializedArray<byte>(Length);
    }

    /// <summary>Keeps <paramref name="array"/> for the next <see cref="Rent"/>, if fewer than the most are kept.</summary>
    /// <exception cref="ArgumentException">The array is not of <see cref="Length"/> bytes.</exception>
    public void Return(byte[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length != Length)
        {
            throw new ArgumentException($"The array has {array.Length} bytes; this pool keeps arrays of {Length}.", nameof(array));
        }

        lock (_lock)
        {
            if (_count < _kept.Length)
            {
                _kept[_count++] = array;
            }
        }
    }
}
