using System.Buffers;
using System.Collections.Concurrent;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Arrays for the bytes the producer buffers: the data of runs (<see cref="KinesisProducer.EnqueueRunAsync"/>) until
/// they are sealed, and encoded aggregates until they are acknowledged. Hundreds of them wait or fly at once (one per
/// shard, plus the requests in flight), more than the shared pool keeps per size, so this pool keeps enough of them.
/// </summary>
/// <remarks>
/// <para>
/// A size between half of AggregationMaxSize and AggregationMaxSize (a full run or aggregate, the common case) gets
/// an array of exactly AggregationMaxSize (<see cref="FixedLengthArrays"/>), not of the next power of two: a
/// 51,200-byte aggregate in a 64 KiB array left a fifth of the buffered memory unused. Runs and aggregates share those
/// arrays, since a run's bytes are held by one or the other, never both for long (a sealed aggregate takes the run's
/// place, see <see cref="UserRecord.GiveUpData"/>): what the pool keeps after a peak is what that peak held, not a
/// peak of runs plus a peak of aggregates.
/// </para>
/// <para>
/// Other sizes (small runs and aggregates, compressed or encrypted records) come from power-of-two buckets. At most
/// <see cref="MaxArraysPerBucket"/> arrays of each length are kept, and only after a load that needed them.
/// </para>
/// </remarks>
internal static class AggregateBuffers
{
    private const int MaxArraysPerBucket = 1024;

    private static readonly ArrayPool<byte> Buckets = ArrayPool<byte>.Create(1024 * 1024, MaxArraysPerBucket);

    // By array length: one entry per AggregationMaxSize in use (nearly always one, 51,200).
    private static readonly ConcurrentDictionary<int, FixedLengthArrays> Exact = new();

    /// <summary>An array of at least <paramref name="size"/> bytes, from the power-of-two buckets.</summary>
    public static byte[] Rent(int size) => Buckets.Rent(size);

    /// <summary>
    /// An array of at least <paramref name="size"/> bytes: one of exactly <paramref name="aggregationMaxSize"/> bytes
    /// when the size is more than half of that and not more, else from the power-of-two buckets.
    /// </summary>
    public static byte[] Rent(int size, int aggregationMaxSize) =>
        size > aggregationMaxSize / 2 && size <= aggregationMaxSize
            ? Exact.GetOrAdd(aggregationMaxSize, static length => new FixedLengthArrays(length, MaxArraysPerBucket)).Rent()
            : Buckets.Rent(size);

    /// <summary>Takes back an array rented here.</summary>
    public static void Return(byte[] array)
    {
        // An array of an exact length in use goes there even if the buckets lent it (a power-of-two
        // AggregationMaxSize): arrays of one length serve either.
        if (Exact.TryGetValue(array.Length, out var exact))
        {
            exact.Return(array);
        }
        else
        {
            Buckets.Return(array);
        }
    }
}
