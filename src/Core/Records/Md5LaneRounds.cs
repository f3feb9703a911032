using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Kinesis.Clients.Records;

/// <summary>
/// The MD5 compression function (RFC 1321) on every lane at once: the 64 steps of <see cref="PartitionKeyMd5"/>,
/// written out so each rotation count is a constant (an immediate operand, not a variable shift).
/// </summary>
internal static class Md5LaneRounds
{
    public const uint InitialA = 0x67452301;
    public const uint InitialB = 0xEFCDAB89;
    public const uint InitialC = 0x98BADCFE;
    public const uint InitialD = 0x10325476;

    public static void Compress<TOps, TVector>(ref Md5LaneState<TVector> state, ref Md5LaneMessage<TVector> message)
        where TOps : IMd5LaneOps<TVector>
        where TVector : struct
    {
        TVector a = state.A, b = state.B, c = state.C, d = state.D;

        a = StepF<TOps, TVector>(a, b, c, d, message[0], 0xD76AA478, 7);
        d = StepF<TOps, TVector>(d, a, b, c, message[1], 0xE8C7B756, 12);
        c = StepF<TOps, TVector>(c, d, a, b, message[2], 0x242070DB, 17);
        b = StepF<TOps, TVector>(b, c, d, a, message[3], 0xC1BDCEEE, 22);
        a = StepF<TOps, TVector>(a, b, c, d, message[4], 0xF57C0FAF, 7);
        d = StepF<TOps, TVector>(d, a, b, c, message[5], 0x4787C62A, 12);
        c = StepF<TOps, TVector>(c, d, a, b, message[6], 0xA8304613, 17);
        b = StepF<TOps, TVector>(b, c, d, a, message[7], 0xFD469501, 22);
        a = StepF<TOps, TVector>(a, b, c, d, message[8], 0x698098D8, 7);
        d = StepF<TOps, TVector>(d, a, b, c, message[9], 0x8B44F7AF, 12);
        c = StepF<TOps, TVector>(c, d, a, b, message[10], 0xFFFF5BB1, 17);
        b = StepF<TOps, TVector>(b, c, d, a, message[11], 0x895CD7BE, 22);
        a = StepF<TOps, TVector>(a, b, c, d, message[12], 0x6B901122, 7);
        d = StepF<TOps, TVector>(d, a, b, c, message[13], 0xFD987193, 12);
        c = StepF<TOps, TVector>(c, d, a, b, message[14], 0xA679438E, 17);
        b = StepF<TOps, TVector>(b, c, d, a, message[15], 0x49B40821, 22);

        a = StepG<TOps, TVector>(a, b, c, d, message[1], 0xF61E2562, 5);
        d = StepG<TOps, TVector>(d, a, b, c, message[6], 0xC040B340, 9);
        c = StepG<TOps, TVector>(c, d, a, b, message[11], 0x265E5A51, 14);
        b = StepG<TOps, TVector>(b, c, d, a, message[0], 0xE9B6C7AA, 20);
        a = StepG<TOps, TVector>(a, b, c, d, message[5], 0xD62F105D, 5);
        d = StepG<TOps, TVector>(d, a, b, c, message[10], 0x02441453, 9);
        c = StepG<TOps, TVector>(c, d, a, b, message[15], 0xD8A1E681, 14);
        b = StepG<TOps, TVector>(b, c, d, a, message[4], 0xE7D3FBC8, 20);
        a = StepG<TOps, TVector>(a, b, c, d, message[9], 0x21E1CDE6, 5);
        d = StepG<TOps, TVector>(d, a, b, c, message[14], 0xC33707D6, 9);
        c = StepG<TOps, TVector>(c, d, a, b, message[3], 0xF4D50D87, 14);
        b = StepG<TOps, TVector>(b, c, d, a, message[8], 0x455A14ED, 20);
        a = StepG<TOps, TVector>(a, b, c, d, message[13], 0xA9E3E905, 5);
        d = StepG<TOps, TVector>(d, a, b, c, message[2], 0xFCEFA3F8, 9);
        c = StepG<TOps, TVector>(c, d, a, b, message[7], 0x676F02D9, 14);
        b = StepG<TOps, TVector>(b, c, d, a, message[12], 0x8D2A4C8A, 20);

        a = StepH<TOps, TVector>(a, b, c, d, message[5], 0xFFFA3942, 4);
        d = StepH<TOps, TVector>(d, a, b, c, message[8], 0x8771F681, 11);
        c = StepH<TOps, TVector>(c, d, a, b, message[11], 0x6D9D6122, 16);
        b = StepH<TOps, TVector>(b, c, d, a, message[14], 0xFDE5380C, 23);
        a = StepH<TOps, TVector>(a, b, c, d, message[1], 0xA4BEEA44, 4);
        d = StepH<TOps, TVector>(d, a, b, c, message[4], 0x4BDECFA9, 11);
        c = StepH<TOps, TVector>(c, d, a, b, message[7], 0xF6BB4B60, 16);
        b = StepH<TOps, TVector>(b, c, d, a, message[10], 0xBEBFBC70, 23);
        a = StepH<TOps, TVector>(a, b, c, d, message[13], 0x289B7EC6, 4);
        d = StepH<TOps, TVector>(d, a, b, c, message[0], 0xEAA127FA, 11);
        c = StepH<TOps, TVector>(c, d, a, b, message[3], 0xD4EF3085, 16);
        b = StepH<TOps, TVector>(b, c, d, a, message[6], 0x04881D05, 23);
        a = StepH<TOps, TVector>(a, b, c, d, message[9], 0xD9D4D039, 4);
        d = StepH<TOps, TVector>(d, a, b, c, message[12], 0xE6DB99E5, 11);
        c = StepH<TOps, TVector>(c, d, a, b, message[15], 0x1FA27CF8, 16);
        b = StepH<TOps, TVector>(b, c, d, a, message[2], 0xC4AC5665, 23);

        a = StepI<TOps, TVector>(a, b, c, d, message[0], 0xF4292244, 6);
        d = StepI<TOps, TVector>(d, a, b, c, message[7], 0x432AFF97, 10);
        c = StepI<TOps, TVector>(c, d, a, b, message[14], 0xAB9423A7, 15);
        b = StepI<TOps, TVector>(b, c, d, a, message[5], 0xFC93A039, 21);
        a = StepI<TOps, TVector>(a, b, c, d, message[12], 0x655B59C3, 6);
        d = StepI<TOps, TVector>(d, a, b, c, message[3], 0x8F0CCC92, 10);
        c = StepI<TOps, TVector>(c, d, a, b, message[10], 0xFFEFF47D, 15);
        b = StepI<TOps, TVector>(b, c, d, a, message[1], 0x85845DD1, 21);
        a = StepI<TOps, TVector>(a, b, c, d, message[8], 0x6FA87E4F, 6);
        d = StepI<TOps, TVector>(d, a, b, c, message[15], 0xFE2CE6E0, 10);
        c = StepI<TOps, TVector>(c, d, a, b, message[6], 0xA3014314, 15);
        b = StepI<TOps, TVector>(b, c, d, a, message[13], 0x4E0811A1, 21);
        a = StepI<TOps, TVector>(a, b, c, d, message[4], 0xF7537E82, 6);
        d = StepI<TOps, TVector>(d, a, b, c, message[11], 0xBD3AF235, 10);
        c = StepI<TOps, TVector>(c, d, a, b, message[2], 0x2AD7D2BB, 15);
        b = StepI<TOps, TVector>(b, c, d, a, message[9], 0xEB86D391, 21);

        state.A = TOps.Add(state.A, a);
        state.B = TOps.Add(state.B, b);
        state.C = TOps.Add(state.C, c);
        state.D = TOps.Add(state.D, d);
    }

    // a + message + constant does not wait for b, c and d: only the round function and what follows are on the
    // dependency chain from one step to the next.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector StepF<TOps, TVector>(TVector a, TVector b, TVector c, TVector d, TVector word, uint constant, [ConstantExpected(Min = 1, Max = 31)] byte shift)
        where TOps : IMd5LaneOps<TVector>
        where TVector : struct =>
        TOps.Add(b, TOps.RotateLeft(TOps.Add(TOps.Add(TOps.Add(a, word), TOps.Create(constant)), TOps.RoundF(b, c, d)), shift));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector StepG<TOps, TVector>(TVector a, TVector b, TVector c, TVector d, TVector word, uint constant, [ConstantExpected(Min = 1, Max = 31)] byte shift)
        where TOps : IMd5LaneOps<TVector>
        where TVector : struct =>
        TOps.Add(b, TOps.RotateLeft(TOps.Add(TOps.Add(TOps.Add(a, word), TOps.Create(constant)), TOps.RoundG(b, c, d)), shift));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector StepH<TOps, TVector>(TVector a, TVector b, TVector c, TVector d, TVector word, uint constant, [ConstantExpected(Min = 1, Max = 31)] byte shift)
        where TOps : IMd5LaneOps<TVector>
        where TVector : struct =>
        TOps.Add(b, TOps.RotateLeft(TOps.Add(TOps.Add(TOps.Add(a, word), TOps.Create(constant)), TOps.RoundH(b, c, d)), shift));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector StepI<TOps, TVector>(TVector a, TVector b, TVector c, TVector d, TVector word, uint constant, [ConstantExpected(Min = 1, Max = 31)] byte shift)
        where TOps : IMd5LaneOps<TVector>
        where TVector : struct =>
        TOps.Add(b, TOps.RotateLeft(TOps.Add(TOps.Add(TOps.Add(a, word), TOps.Create(constant)), TOps.RoundI(b, c, d)), shift));
}
