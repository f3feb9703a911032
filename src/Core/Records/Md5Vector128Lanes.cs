using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kinesis.Clients.Records;

/// <summary>
/// MD5 in 4 lanes of 128 bits, with SSE2. SSE2 is in the x64 baseline, so this engine runs in a Native AOT program
/// built for the default instruction set, where the wider engines are compiled out.
/// </summary>
/// <remarks>
/// Only x64 for now: ARM64 (AdvSimd) could run the same steps, its <c>zip1</c>/<c>zip2</c> doing the transposes, but no
/// ARM64 machine has run it yet, and a wrong digest would make every aggregate unreadable as one; ARM64 keeps the
/// platform's MD5 until it has.
/// </remarks>
internal readonly struct Md5Vector128Lanes : IMd5LaneOps<Vector128<uint>>
{
    public static bool IsSupported => Vector128.IsHardwareAccelerated && Sse2.IsSupported;

    public static int Width => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Create(uint value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> Add(Vector128<uint> left, Vector128<uint> right) => left + right;

    // Selections written as xor-and-xor: three operations, no and-not.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RoundF(Vector128<uint> b, Vector128<uint> c, Vector128<uint> d) => d ^ (b & (c ^ d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RoundG(Vector128<uint> b, Vector128<uint> c, Vector128<uint> d) => c ^ (d & (b ^ c));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RoundH(Vector128<uint> b, Vector128<uint> c, Vector128<uint> d) => b ^ c ^ d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RoundI(Vector128<uint> b, Vector128<uint> c, Vector128<uint> d) => c ^ (b | ~d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<uint> RotateLeft(Vector128<uint> value, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        (value << count) | (value >>> (32 - count));

    public static uint GetLane(Vector128<uint> value, int lane) => value.GetElement(lane);

    public static Vector128<uint> WithLane(Vector128<uint> value, int lane, uint element) => value.WithElement(lane, element);

    /// <summary>Four 16-byte loads per lane, then four 4 × 4 transposes of 32-bit words in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(ref Md5LaneSources sources, nuint blockOffset, ref Md5LaneMessage<Vector128<uint>> message)
    {
        LoadQuarter(ref sources, blockOffset, ref message[0]);
        LoadQuarter(ref sources, blockOffset + 16, ref message[4]);
        LoadQuarter(ref sources, blockOffset + 32, ref message[8]);
        LoadQuarter(ref sources, blockOffset + 48, ref message[12]);
    }

    /// <summary>Words 4q to 4q + 3 of every lane's block into four consecutive message words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadQuarter(ref Md5LaneSources sources, nuint offset, ref Vector128<uint> first)
    {
        var r0 = Vector128.LoadUnsafe(ref sources.Block(0), offset).AsUInt32();
        var r1 = Vector128.LoadUnsafe(ref sources.Block(1), offset).AsUInt32();
        var r2 = Vector128.LoadUnsafe(ref sources.Block(2), offset).AsUInt32();
        var r3 = Vector128.LoadUnsafe(ref sources.Block(3), offset).AsUInt32();

        // Interleave 32-bit words of row pairs, then 64-bit halves: row j ends up holding word j of the four lanes.
        var t0 = ZipLow(r0, r1).AsUInt64();
        var t1 = ZipHigh(r0, r1).AsUInt64();
        var t2 = ZipLow(r2, r3).AsUInt64();
        var t3 = ZipHigh(r2, r3).AsUInt64();
        Unsafe.Add(ref first, 0) = ZipLow(t0, t2).AsUInt32();
        Unsafe.Add(ref first, 1) = ZipHigh(t0, t2).AsUInt32();
        Unsafe.Add(ref first, 2) = ZipLow(t1, t3).AsUInt32();
        Unsafe.Add(ref first, 3) = ZipHigh(t1, t3).AsUInt32();
    }

    /// <summary>Elements 0 and 1 of each: <c>left[0], right[0], left[1], right[1]</c> (<c>punpckldq</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> ZipLow(Vector128<uint> left, Vector128<uint> right) =>
        Sse2.UnpackLow(left, right);

    /// <summary>Elements 2 and 3 of each: <c>left[2], right[2], left[3], right[3]</c> (<c>punpckhdq</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> ZipHigh(Vector128<uint> left, Vector128<uint> right) =>
        Sse2.UnpackHigh(left, right);

    /// <summary>The low 64-bit halves: <c>left[0], right[0]</c> (<c>punpcklqdq</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> ZipLow(Vector128<ulong> left, Vector128<ulong> right) =>
        Sse2.UnpackLow(left, right);

    /// <summary>The high 64-bit halves: <c>left[1], right[1]</c> (<c>punpckhqdq</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> ZipHigh(Vector128<ulong> left, Vector128<ulong> right) =>
        Sse2.UnpackHigh(left, right);
}
