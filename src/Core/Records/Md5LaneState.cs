namespace Kinesis.Clients.Records;

/// <summary>The MD5 chaining state (A, B, C, D) of every lane.</summary>
/// <typeparam name="TVector">The vector of 32-bit words, one per lane.</typeparam>
internal struct Md5LaneState<TVector>
    where TVector : struct
{
    public TVector A;
    public TVector B;
    public TVector C;
    public TVector D;
}
