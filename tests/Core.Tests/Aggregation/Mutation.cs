using CsCheck;

namespace Kinesis.Clients.Tests.Aggregation;

/// <summary>One corruption of a protobuf body: a flipped, inserted or deleted byte, or a truncation.</summary>
internal sealed record Mutation(int Kind, int Position, byte Value)
{
    public static readonly Gen<Mutation> Gen =
        CsCheck.Gen.Select(CsCheck.Gen.Int[0, 3], CsCheck.Gen.Int[0, int.MaxValue], CsCheck.Gen.Byte, (k, p, v) => new Mutation(k, p, v));

    public byte[] Apply(byte[] body)
    {
        if (body.Length == 0)
        {
            return [Value];
        }

        var at = Position % body.Length;
        return Kind switch
        {
            0 => [.. body[..at], (byte)(body[at] ^ (Value | 1)), .. body[(at + 1)..]],
            1 => [.. body[..at], Value, .. body[at..]],
            2 => [.. body[..at], .. body[(at + 1)..]],
            _ => body[..at],
        };
    }
}
