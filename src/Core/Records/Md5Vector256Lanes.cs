using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kinesis.Clients.Records;

/// <summary>
/// MD5 in 8 lanes of AVX2, with AVX2 instructions only (rotation as two shifts and an or), so it runs as written
/// on every x64 processor with AVX2.
/// </summary>
internal readonly struct Md5Vector256Lanes : IMd5LaneOps<Vector256<uint>>
{
    public static bool IsSupported => Avx2.IsSupported && Vector256.IsHardwareAccelerated;

    public static int Width => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Create(uint value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Add(Vector256<uint> left, Vector256<uint> right) => left + right;

    // Selections written as xor-and-xor: three operations, no and-not.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RoundF(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => d ^ (b & (c ^ d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RoundG(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => c ^ (d & (b ^ c));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RoundH(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => b ^ c ^ d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RoundI(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => c ^ (b | ~d);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateLeft(Vector256<uint> value, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        (value << count) | (value >>> (32 - count));

    public static uint GetLane(Vector256<uint> value, int lane) => value.GetElement(lane);

    public static Vector256<uint> WithLane(Vector256<uint> value, int lane, uint element) => value.WithElement(lane, element);

    /// <summary>Two 32-byte loads per lane, then two 8 × 8 transposes of 32-bit words in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(ref Md5LaneSources sources, nuint blockOffset, ref Md5LaneMessage<Vector256<uint>> message)
    {
        LoadHalf(ref sources, blockOffset, ref message[0]);
        LoadHalf(ref sources, blockOffset + 32, ref message[8]);
    }

    /// <summary>Words 0-7 (or 8-15) of every lane's block into eight consecutive message words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadHalf(ref Md5LaneSources sources, nuint offset, ref Vector256<uint> first)
    {
        var r0 = Vector256.LoadUnsafe(ref sources.Block(0), offset).AsUInt32();
        var r1 = Vector256.LoadUnsafe(ref sources.Block(1), offset).AsUInt32();
        var r2 = Vector256.LoadUnsafe(ref sources.Block(2), offset).AsUInt32();
        var r3 = Vector256.LoadUnsafe(ref sources.Block(3), offset).AsUInt32();
        var r4 = Vector256.LoadUnsafe(ref sources.Block(4), offset).AsUInt32();
        var r5 = Vector256.LoadUnsafe(ref sources.Block(5), offset).AsUInt32();
        var r6 = Vector256.LoadUnsafe(ref sources.Block(6), offset).AsUInt32();
        var r7 = Vector256.LoadUnsafe(ref sources.Block(7), offset).AsUInt32();

        // Within each 128-bit half: 4 × 4 transposes of rows 0-3 and 4-7.
        Transpose4(ref r0, ref r1, ref r2, ref r3);
        Transpose4(ref r4, ref r5, ref r6, ref r7);

        // Half h of r(j) holds word 4h + j of four lanes: lanes 0-3 from r(j), lanes 4-7 from r(j + 4).
        Unsafe.Add(ref first, 0) = Avx2.Permute2x128(r0, r4, 0x20);
        Unsafe.Add(ref first, 4) = Avx2.Permute2x128(r0, r4, 0x31);
        Unsafe.Add(ref first, 1) = Avx2.Permute2x128(r1, r5, 0x20);
        Unsafe.Add(ref first, 5) = Avx2.Permute2x128(r1, r5, 0x31);
        Unsafe.Add(ref first, 2) = Avx2.Permute2x128(r2, r6, 0x20);
        Unsafe.Add(ref first, 6) = Avx2.Permute2x128(r2, r6, 0x31);
        Unsafe.Add(ref first, 3) = Avx2.Permute2x128(r3, r7, 0x20);
        Unsafe.Add(ref first, 7) = Avx2.Permute2x128(r3, r7, 0x31);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4(ref Vector256<uint> r0, ref Vector256<uint> r1, ref Vector256<uint> r2, ref Vector256<uint> r3)
    {
        var t0 = Avx2.UnpackLow(r0, r1).AsUInt64();
        var t1 = Avx2.UnpackHigh(r0, r1).AsUInt64();
        var t2 = Avx2.UnpackLow(r2, r3).AsUInt64();
        var t3 = Avx2.UnpackHigh(r2, r3).AsUInt64();
        r0 = Avx2.UnpackLow(t0, t2).AsUInt32();
        r1 = Avx2.UnpackHigh(t0, t2).AsUInt32();
        r2 = Avx2.UnpackLow(t1, t3).AsUInt32();
        r3 = Avx2.UnpackHigh(t1, t3).AsUInt32();
    }
}
