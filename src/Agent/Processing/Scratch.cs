using System.Buffers;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// Per-thread buffers for intermediate results, so converting a record allocates nothing once a thread has
/// warmed up. Each role has its own buffer because a step reads one while writing another.
/// </summary>
internal static class Scratch
{
    // A buffer that grew for one huge record is dropped rather than pinned to the thread for good.
    private const int KeepAtMost = 4 * 1024 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_first;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_second;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_pretty;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_utf8;

    /// <summary>Chain intermediate A, emptied.</summary>
    public static ArrayBufferWriter<byte> First => Take(ref t_first);

    /// <summary>Chain intermediate B, emptied.</summary>
    public static ArrayBufferWriter<byte> Second => Take(ref t_second);

    /// <summary>Compact JSON waiting to be pretty-printed, emptied.</summary>
    public static ArrayBufferWriter<byte> Pretty => Take(ref t_pretty);

    /// <summary>Input repaired to valid UTF-8, emptied.</summary>
    public static ArrayBufferWriter<byte> Utf8 => Take(ref t_utf8);

    /// <summary>Drops buffers that grew past the keep limit.</summary>
    public static void Trim()
    {
        Drop(ref t_first);
        Drop(ref t_second);
        Drop(ref t_pretty);
        Drop(ref t_utf8);
    }

    private static ArrayBufferWriter<byte> Take(ref ArrayBufferWriter<byte>? slot)
    {
        slot ??= new ArrayBufferWriter<byte>(1024);
        slot.ResetWrittenCount();
        return slot;
    }

    private static void Drop(ref ArrayBufferWriter<byte>? slot)
    {
        if (slot is { Capacity: > KeepAtMost })
        {
            slot = null;
        }
    }
}
