using System.Diagnostics.CodeAnalysis;

namespace Kinesis.Clients.Records;

/// <summary>
/// The vector operations the MD5 rounds need, for one vector width: one 32-bit MD5 word per lane, one buffer per
/// lane. Implemented by structs so the generic rounds compile once per width with every call inlined.
/// </summary>
/// <typeparam name="TVector">The vector of 32-bit words, one per lane.</typeparam>
internal interface IMd5LaneOps<TVector>
    where TVector : struct
{
    /// <summary>Lanes in one vector: buffers hashed side by side.</summary>
    static abstract int Width { get; }

    static abstract TVector Create(uint value);

    static abstract TVector Add(TVector left, TVector right);

    /// <summary>Round 1: <c>(b &amp; c) | (~b &amp; d)</c>.</summary>
    static abstract TVector RoundF(TVector b, TVector c, TVector d);

    /// <summary>Round 2: <c>(b &amp; d) | (c &amp; ~d)</c>.</summary>
    static abstract TVector RoundG(TVector b, TVector c, TVector d);

    /// <summary>Round 3: <c>b ^ c ^ d</c>.</summary>
    static abstract TVector RoundH(TVector b, TVector c, TVector d);

    /// <summary>Round 4: <c>c ^ (b | ~d)</c>.</summary>
    static abstract TVector RoundI(TVector b, TVector c, TVector d);

    static abstract TVector RotateLeft(TVector value, [ConstantExpected(Min = 1, Max = 31)] byte count);

    static abstract uint GetLane(TVector value, int lane);

    static abstract TVector WithLane(TVector value, int lane, uint element);

    /// <summary>
    /// Reads one 64-byte block per lane, at <paramref name="blockOffset"/> bytes past each lane's position, and
    /// transposes it so that message word <c>i</c> of every lane is in <c>message[i]</c>.
    /// </summary>
    static abstract void Load(ref Md5LaneSources sources, nuint blockOffset, ref Md5LaneMessage<TVector> message);
}
