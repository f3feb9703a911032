using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kinesis.Clients.Records;

/// <summary>
/// MD5 in 16 lanes of AVX-512: each round function is one <c>vpternlogd</c> and each rotation one <c>vprold</c>.
/// </summary>
internal readonly struct Md5Vector512Lanes : IMd5LaneOps<Vector512<uint>>
{
    /// <summary>Whether the hardware runs these instructions, and .NET considers 512-bit vectors worth using on it.</summary>
    public static bool IsSupported => Avx512F.IsSupported && Vector512.IsHardwareAccelerated;

    public static int Width => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Create(uint value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Add(Vector512<uint> left, Vector512<uint> right) => left + right;

    // Ternary-logic truth tables, operands (b, c, d): b ? c : d; d ? b : c; b ^ c ^ d; c ^ (b | ~d).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RoundF(Vector512<uint> b, Vector512<uint> c, Vector512<uint> d) => Avx512F.TernaryLogic(b, c, d, 0xCA);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RoundG(Vector512<uint> b, Vector512<uint> c, Vector512<uint> d) => Avx512F.TernaryLogic(b, c, d, 0xE4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RoundH(Vector512<uint> b, Vector512<uint> c, Vector512<uint> d) => Avx512F.TernaryLogic(b, c, d, 0x96);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RoundI(Vector512<uint> b, Vector512<uint> c, Vector512<uint> d) => Avx512F.TernaryLogic(b, c, d, 0x39);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> RotateLeft(Vector512<uint> value, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Avx512F.RotateLeft(value, count);

    public static uint GetLane(Vector512<uint> value, int lane) => value.GetElement(lane);

    public static Vector512<uint> WithLane(Vector512<uint> value, int lane, uint element) => value.WithElement(lane, element);

    /// <summary>One 64-byte load per lane, then a 16 × 16 transpose of 32-bit words in registers (64 shuffles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(ref Md5LaneSources sources, nuint blockOffset, ref Md5LaneMessage<Vector512<uint>> message)
    {
        var r0 = Vector512.LoadUnsafe(ref sources.Block(0), blockOffset).AsUInt32();
        var r1 = Vector512.LoadUnsafe(ref sources.Block(1), blockOffset).AsUInt32();
        var r2 = Vector512.LoadUnsafe(ref sources.Block(2), blockOffset).AsUInt32();
        var r3 = Vector512.LoadUnsafe(ref sources.Block(3), blockOffset).AsUInt32();
        var r4 = Vector512.LoadUnsafe(ref sources.Block(4), blockOffset).AsUInt32();
        var r5 = Vector512.LoadUnsafe(ref sources.Block(5), blockOffset).AsUInt32();
        var r6 = Vector512.LoadUnsafe(ref sources.Block(6), blockOffset).AsUInt32();
        var r7 = Vector512.LoadUnsafe(ref sources.Block(7), blockOffset).AsUInt32();
        var r8 = Vector512.LoadUnsafe(ref sources.Block(8), blockOffset).AsUInt32();
        var r9 = Vector512.LoadUnsafe(ref sources.Block(9), blockOffset).AsUInt32();
        var r10 = Vector512.LoadUnsafe(ref sources.Block(10), blockOffset).AsUInt32();
        var r11 = Vector512.LoadUnsafe(ref sources.Block(11), blockOffset).AsUInt32();
        var r12 = Vector512.LoadUnsafe(ref sources.Block(12), blockOffset).AsUInt32();
        var r13 = Vector512.LoadUnsafe(ref sources.Block(13), blockOffset).AsUInt32();
        var r14 = Vector512.LoadUnsafe(ref sources.Block(14), blockOffset).AsUInt32();
        var r15 = Vector512.LoadUnsafe(ref sources.Block(15), blockOffset).AsUInt32();

        // Within each 128-bit quarter: 4 × 4 transposes of rows 0-3, 4-7, 8-11, 12-15.
        Transpose4(ref r0, ref r1, ref r2, ref r3);
        Transpose4(ref r4, ref r5, ref r6, ref r7);
        Transpose4(ref r8, ref r9, ref r10, ref r11);
        Transpose4(ref r12, ref r13, ref r14, ref r15);

        // Quarter q of r(j) now holds word 4q + j of four lanes; gather each word's four quarters in lane order.
        Gather(r0, r4, r8, r12, ref message[0], ref message[4], ref message[8], ref message[12]);
        Gather(r1, r5, r9, r13, ref message[1], ref message[5], ref message[9], ref message[13]);
        Gather(r2, r6, r10, r14, ref message[2], ref message[6], ref message[10], ref message[14]);
        Gather(r3, r7, r11, r15, ref message[3], ref message[7], ref message[11], ref message[15]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(ref Vector512<uint> r0, ref Vector512<uint> r1, ref Vector512<uint> r2, ref Vector512<uint> r3)
    {
        var t0 = Avx512F.UnpackLow(r0, r1).AsUInt64();
        var t1 = Avx512F.UnpackHigh(r0, r1).AsUInt64();
        var t2 = Avx512F.UnpackLow(r2, r3).AsUInt64();
        var t3 = Avx512F.UnpackHigh(r2, r3).AsUInt64();
        r0 = Avx512F.UnpackLow(t0, t2).AsUInt32();
        r1 = Avx512F.UnpackHigh(t0, t2).AsUInt32();
        r2 = Avx512F.UnpackLow(t1, t3).AsUInt32();
        r3 = Avx512F.UnpackHigh(t1, t3).AsUInt32();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gather(
        Vector512<uint> rows0, Vector512<uint> rows4, Vector512<uint> rows8, Vector512<uint> rows12,
        ref Vector512<uint> word0, ref Vector512<uint> word4, ref Vector512<uint> word8, ref Vector512<uint> word12)
    {
        // 0x88 takes quarters 0 and 2 of each operand, 0xDD quarters 1 and 3.
        var even0 = Avx512F.Shuffle4x128(rows0, rows4, 0x88);
        var odd0 = Avx512F.Shuffle4x128(rows0, rows4, 0xDD);
        var even8 = Avx512F.Shuffle4x128(rows8, rows12, 0x88);
        var odd8 = Avx512F.Shuffle4x128(rows8, rows12, 0xDD);
        word0 = Avx512F.Shuffle4x128(even0, even8, 0x88);
        word8 = Avx512F.Shuffle4x128(even0, even8, 0xDD);
        word4 = Avx512F.Shuffle4x128(odd0, odd8, 0x88);
        word12 = Avx512F.Shuffle4x128(odd0, odd8, 0xDD);
    }
}
