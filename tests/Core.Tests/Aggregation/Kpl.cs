using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Tests.Records;

namespace Kinesis.Clients.Tests.Aggregation;

/// <summary>Framing and fixtures of the KPL aggregation format, written independently of the code under test.</summary>
internal static class Kpl
{
    public const string TestVectorHex =
        "f3899ac20a03706b310a03706b321a0908001a0568656c6c6f1a0908011a05776f726c641a0508001a012113441f9267225980303271d133978ab4";

    public static readonly byte[] Magic = [0xF3, 0x89, 0x9A, 0xC2];

    /// <summary>Wraps a protobuf body as an aggregate: magic, body, MD5 of the body.</summary>
    public static byte[] Frame(byte[] body) => [.. Magic, .. body, .. Md5.Of(body)];

    /// <summary>The protobuf body of an aggregate: everything between magic and digest.</summary>
    public static byte[] Body(byte[] aggregate) => aggregate[Magic.Length..^16];

    public static byte[] Encode(IEnumerable<TestRecord> records)
    {
        using var builder = new AggregateBuilder(maxEncodedSize: 10 * 1024 * 1024);
        foreach (var record in records)
        {
            Assert.True(builder.TryAdd(record.PartitionKey, record.ExplicitHashKey, record.Data));
        }

        return builder.ToArray();
    }
}
