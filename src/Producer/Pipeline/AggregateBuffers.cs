using System.Buffers;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Arrays for encoded aggregates. Hundreds of aggregates wait or fly at once (one per shard, plus the
/// requests in flight), more than the shared pool keeps per size, so a dedicated pool holds enough of them.
/// At most <see cref="MaxArraysPerBucket"/> arrays of each size are kept: with the default 51,200-byte
/// aggregates (64 KiB arrays) that is 64 MiB at most, and only after a load that needed it.
/// </summary>
internal static class AggregateBuffers
{
    private const int MaxArraysPerBucket = 1024;

    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(1024 * 1024, MaxArraysPerBucket);

    public static byte[] Rent(int size) => Pool.Rent(size);

    public static void Return(byte[] array) => Pool.Return(array);
}

/// <summary>
/// Arrays for the data of runs (<see cref="KinesisProducer.EnqueueRunAsync"/>) while they are buffered: as many
/// as the buffer holds runs, so a dedicated pool like <see cref="AggregateBuffers"/>, bounded the same way.
/// </summary>
internal static class RunBuffers
{
    private const int MaxArraysPerBucket = 1024;

    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(1024 * 1024, MaxArraysPerBucket);

    public static byte[] Rent(int size) => Pool.Rent(size);

    public static void Return(byte[] array) => Pool.Return(array);
}
