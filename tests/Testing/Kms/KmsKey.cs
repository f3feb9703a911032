using System.Security.Cryptography;

namespace Kinesis.Clients.Testing;

/// <summary>A key held by <see cref="LoopbackKms"/>: its ARN, alias and 256-bit material (in memory only).</summary>
public sealed class KmsKey
{
    internal KmsKey(string keyId, string arn, string? alias)
    {
        KeyId = keyId;
        Arn = arn;
        Alias = alias;
        Material = RandomNumberGenerator.GetBytes(32);
    }

    /// <summary>The key id (a GUID).</summary>
    public string KeyId { get; }

    /// <summary>The key ARN, as GenerateDataKey and Decrypt return it.</summary>
    public string Arn { get; }

    /// <summary>The alias name (<c>alias/...</c>), or <see langword="null"/>.</summary>
    public string? Alias { get; }

    internal byte[] Material { get; }
}
