using System.Text;

namespace Kinesis.Clients.Tests.Aggregation;

/// <summary>A user record as a test states it.</summary>
internal sealed record TestRecord(string PartitionKey, string? ExplicitHashKey, byte[] Data)
{
    public TestRecord(string partitionKey, string data)
        : this(partitionKey, null, Encoding.UTF8.GetBytes(data))
    {
    }

    public override string ToString() =>
        $"({PartitionKey}, {ExplicitHashKey ?? "-"}, {Convert.ToHexString(Data)})";
}
