using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Kinesis.Clients.Records;

/// <summary>
/// MD5 in 8 lanes of 256 bits with AVX-512VL's <c>vpternlogd</c> and <c>vprold</c>: for processors that have
/// AVX-512 but on which .NET leaves 512-bit vectors off (the first Intel AVX-512 generations, whose clock drops under
/// 512-bit work).
/// A step's dependency chain is four instructions instead of six with AVX2 alone.
/// </summary>
internal readonly struct Md5Vector256Avx512Lanes : IMd5LaneOps<Vector256<uint>>
{
    public static bool IsSupported => Avx512F.VL.IsSupported && Avx2.IsSupported && Vector256.IsHardwareAccelerated;

    public static int Width => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Create(uint value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Add(Vector256<uint> left, Vector256<uint> right) => left + right;

    // The truth tables of Md5Vector512Lanes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RoundF(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => Avx512F.VL.TernaryLogic(b, c, d, 0xCA);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RoundG(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => Avx512F.VL.TernaryLogic(b, c, d, 0xE4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RoundH(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => Avx512F.VL.TernaryLogic(b, c, d, 0x96);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RoundI(Vector256<uint> b, Vector256<uint> c, Vector256<uint> d) => Avx512F.VL.TernaryLogic(b, c, d, 0x39);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> RotateLeft(Vector256<uint> value, [ConstantExpected(Min = 1, Max = 31)] byte count) =>
        Avx512F.VL.RotateLeft(value, count);

    public static uint GetLane(Vector256<uint> value, int lane) => value.GetElement(lane);

    public static Vector256<uint> WithLane(Vector256<uint> value, int lane, uint element) => value.WithElement(lane, element);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Load(ref Md5LaneSources sources, nuint blockOffset, ref Md5LaneMessage<Vector256<uint>> message) =>
        Md5Vector256Lanes.Load(ref sources, blockOffset, ref message);
}
