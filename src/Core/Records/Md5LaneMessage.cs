using System.Runtime.CompilerServices;

namespace Kinesis.Clients.Records;

/// <summary>The 16 message words of one block for every lane: element <c>i</c> holds word <c>i</c> of each lane.</summary>
/// <typeparam name="TVector">The vector of 32-bit words, one per lane.</typeparam>
[InlineArray(16)]
internal struct Md5LaneMessage<TVector>
    where TVector : struct
{
    private TVector _word;
}
