using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Kinesis.Clients.Records;

/// <summary>
/// Where each lane reads its next block: an array and a byte offset into it. Arrays rather than spans or refs,
/// because a lane's source changes between buffers and a struct cannot keep a changing set of refs; the caller
/// guarantees every block read (offset + 64 bytes) lies inside its array, so loads go without bounds checks.
/// </summary>
internal struct Md5LaneSources
{
    public const int MaxLanes = 16;

    public LaneArrays Arrays;
    public LaneOffsets Offsets;

    /// <summary>The first byte of <paramref name="lane"/>'s current block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref byte Block(int lane) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(Arrays[lane]), (nint)(uint)Offsets[lane]);

    [InlineArray(MaxLanes)]
    internal struct LaneArrays
    {
        private byte[] _array;
    }

    [InlineArray(MaxLanes)]
    internal struct LaneOffsets
    {
        private int _offset;
    }
}
