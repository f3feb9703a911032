using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Kinesis.Clients.Tests.Records;

/// <summary>An independent MD5 for expected values; Kinesis hash keys and the KPL format are defined with it.</summary>
internal static class Md5
{
    [SuppressMessage("Security", "CA5351", Justification = "Kinesis and the KPL define these values with MD5.")]
    public static byte[] Of(ReadOnlySpan<byte> bytes) => MD5.HashData(bytes);
}
