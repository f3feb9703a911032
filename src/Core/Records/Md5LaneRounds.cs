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

        a = Step<TOps, TVector>(a, b, message[0], 0xD76AA478, 7, TOps.RoundF(b, c, d));
        d = Step<TOps, TVector>(d, a, message[1], 0xE8C7B756, 12, TOps.RoundF(a, b, c));
        c = Step<TOps, TVector>(c, d, message[2], 0x242070DB, 17, TOps.RoundF(d, a, b));
        b = Step<TOps, TVector>(b, c, message[3], 0xC1BDCEEE, 22, TOps.RoundF(c, d, a));
        a = Step<TOps, TVector>(a, b, message[4], 0xF57C0FAF, 7, TOps.RoundF(b, c, d));
        d = Step<TOps, TVector>(d, a, message[5], 0x4787C62A, 12, TOps.RoundF(a, b, c));
        c = Step<TOps, TVector>(c, d, message[6], 0xA8304613, 17, TOps.RoundF(d, a, b));
        b = Step<TOps, TVector>(b, c, message[7], 0xFD469501, 22, TOps.RoundF(c, d, a));
        a = Step<TOps, TVector>(a, b, message[8], 0x698098D8, 7, TOps.RoundF(b, c, d));
        d = Step<TOps, TVector>(d, a, message[9], 0x8B44F7AF, 12, TOps.RoundF(a, b, c));
        c = Step<TOps, TVector>(c, d, message[10], 0xFFFF5BB1, 17, TOps.RoundF(d, a, b));
        b = Step<TOps, TVector>(b, c, message[11], 0x895CD7BE, 22, TOps.RoundF(c, d, a));
        a = Step<TOps, TVector>(a, b, message[12], 0x6B901122, 7, TOps.RoundF(b, c, d));
        d = Step<TOps, TVector>(d, a, message[13], 0xFD987193, 12, TOps.RoundF(a, b, c));
        c = Step<TOps, TVector>(c, d, message[14], 0xA679438E, 17, TOps.RoundF(d, a, b));
        b = Step<TOps, TVector>(b, c, message[15], 0x49B40821, 22, TOps.RoundF(c, d, a));

        a = Step<TOps, TVector>(a, b, message[1], 0xF61E2562, 5, TOps.RoundG(b, c, d));
        d = Step<TOps, TVector>(d, a, message[6], 0xC040B340, 9, TOps.RoundG(a, b, c));
        c = Step<TOps, TVector>(c, d, message[11], 0x265E5A51, 14, TOps.RoundG(d, a, b));
        b = Step<TOps, TVector>(b, c, message[0], 0xE9B6C7AA, 20, TOps.RoundG(c, d, a));
        a = Step<TOps, TVector>(a, b, message[5], 0xD62F105D, 5, TOps.RoundG(b, c, d));
        d = Step<TOps, TVector>(d, a, message[10], 0x02441453, 9, TOps.RoundG(a, b, c));
        c = Step<TOps, TVector>(c, d, message[15], 0xD8A1E681, 14, TOps.RoundG(d, a, b));
        b = Step<TOps, TVector>(b, c, message[4], 0xE7D3FBC8, 20, TOps.RoundG(c, d, a));
        a = Step<TOps, TVector>(a, b, message[9], 0x21E1CDE6, 5, TOps.RoundG(b, c, d));
        d = Step<TOps, TVector>(d, a, message[14], 0xC33707D6, 9, TOps.RoundG(a, b, c));
        c = Step<TOps, TVector>(c, d, message[3], 0xF4D50D87, 14, TOps.RoundG(d, a, b));
        b = Step<TOps, TVector>(b, c, message[8], 0x455A14ED, 20, TOps.RoundG(c, d, a));
        a = Step<TOps, TVector>(a, b, message[13], 0xA9E3E905, 5, TOps.RoundG(b, c, d));
        d = Step<TOps, TVector>(d, a, message[2], 0xFCEFA3F8, 9, TOps.RoundG(a, b, c));
        c = Step<TOps, TVector>(c, d, message[7], 0x676F02D9, 14, TOps.RoundG(d, a, b));
        b = Step<TOps, TVector>(b, c, message[12], 0x8D2A4C8A, 20, TOps.RoundG(c, d, a));

        a = Step<TOps, TVector>(a, b, message[5], 0xFFFA3942, 4, TOps.RoundH(b, c, d));
        d = Step<TOps, TVector>(d, a, message[8], 0x8771F681, 11, TOps.RoundH(a, b, c));
        c = Step<TOps, TVector>(c, d, message[11], 0x6D9D6122, 16, TOps.RoundH(d, a, b));
        b = Step<TOps, TVector>(b, c, message[14], 0xFDE5380C, 23, TOps.RoundH(c, d, a));
        a = Step<TOps, TVector>(a, b, message[1], 0xA4BEEA44, 4, TOps.RoundH(b, c, d));
        d = Step<TOps, TVector>(d, a, message[4], 0x4BDECFA9, 11, TOps.RoundH(a, b, c));
        c = Step<TOps, TVector>(c, d, message[7], 0xF6BB4B60, 16, TOps.RoundH(d, a, b));
        b = Step<TOps, TVector>(b, c, message[10], 0xBEBFBC70, 23, TOps.RoundH(c, d, a));
        a = Step<TOps, TVector>(a, b, message[13], 0x289B7EC6, 4, TOps.RoundH(b, c, d));
        d = Step<TOps, TVector>(d, a, message[0], 0xEAA127FA, 11, TOps.RoundH(a, b, c));
        c = Step<TOps, TVector>(c, d, message[3], 0xD4EF3085, 16, TOps.RoundH(d, a, b));
        b = Step<TOps, TVector>(b, c, message[6], 0x04881D05, 23, TOps.RoundH(c, d, a));
        a = Step<TOps, TVector>(a, b, message[9], 0xD9D4D039, 4, TOps.RoundH(b, c, d));
        d = Step<TOps, TVector>(d, a, message[12], 0xE6DB99E5, 11, TOps.RoundH(a, b, c));
        c = Step<TOps, TVector>(c, d, message[15], 0x1FA27CF8, 16, TOps.RoundH(d, a, b));
        b = Step<TOps, TVector>(b, c, message[2], 0xC4AC5665, 23, TOps.RoundH(c, d, a));

        a = Step<TOps, TVector>(a, b, message[0], 0xF4292244, 6, TOps.RoundI(b, c, d));
        d = Step<TOps, TVector>(d, a, message[7], 0x432AFF97, 10, TOps.RoundI(a, b, c));
        c = Step<TOps, TVector>(c, d, message[14], 0xAB9423A7, 15, TOps.RoundI(d, a, b));
        b = Step<TOps, TVector>(b, c, message[5], 0xFC93A039, 21, TOps.RoundI(c, d, a));
        a = Step<TOps, TVector>(a, b, message[12], 0x655B59C3, 6, TOps.RoundI(b, c, d));
        d = Step<TOps, TVector>(d, a, message[3], 0x8F0CCC92, 10, TOps.RoundI(a, b, c));
        c = Step<TOps, TVector>(c, d, message[10], 0xFFEFF47D, 15, TOps.RoundI(d, a, b));
        b = Step<TOps, TVector>(b, c, message[1], 0x85845DD1, 21, TOps.RoundI(c, d, a));
        a = Step<TOps, TVector>(a, b, message[8], 0x6FA87E4F, 6, TOps.RoundI(b, c, d));
        d = Step<TOps, TVector>(d, a, message[15], 0xFE2CE6E0, 10, TOps.RoundI(a, b, c));
        c = Step<TOps, TVector>(c, d, message[6], 0xA3014314, 15, TOps.RoundI(d, a, b));
        b = Step<TOps, TVector>(b, c, message[13], 0x4E0811A1, 21, TOps.RoundI(c, d, a));
        a = Step<TOps, TVector>(a, b, message[4], 0xF7537E82, 6, TOps.RoundI(b, c, d));
        d = Step<TOps, TVector>(d, a, message[11], 0xBD3AF235, 10, TOps.RoundI(a, b, c));
        c = Step<TOps, TVector>(c, d, message[2], 0x2AD7D2BB, 15, TOps.RoundI(d, a, b));
        b = Step<TOps, TVector>(b, c, message[9], 0xEB86D391, 21, TOps.RoundI(c, d, a));

        state.A = TOps.Add(state.A, a);
        state.B = TOps.Add(state.B, b);
        state.C = TOps.Add(state.C, c);
        state.D = TOps.Add(state.D, d);
    }

    // One step, given the round function's value of b, c and d: a + message + constant does not wait for b, c and d,
    // so only the round function and what follows are on the dependency chain from one step to the next.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Step<TOps, TVector>(TVector a, TVector b, TVector word, uint constant, [ConstantExpected(Min = 1, Max = 31)] byte shift, TVector round)
        where TOps : IMd5LaneOps<TVector>
        where TVector : struct =>
        TOps.Add(b, TOps.RotateLeft(TOps.Add(TOps.Add(TOps.Add(a, word), TOps.Create(constant)), round), shift));
}
