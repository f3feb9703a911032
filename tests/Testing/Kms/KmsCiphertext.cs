using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Kinesis.Clients.Testing;

/// <summary>
/// The loopback KMS's ciphertext blob: version 1, the key ARN (16-bit length + UTF-8), a 12-byte nonce, the
/// AES-256-GCM ciphertext and 16-byte tag under the key's material, with the encryption context (sorted pairs) as
/// associated data, so Decrypt with any other context fails as real KMS does (InvalidCiphertextException).
/// </summary>
internal static class KmsCiphertext
{
    public static byte[] Seal(KmsKey key, ReadOnlySpan<byte> plaintext, IReadOnlyDictionary<string, string> context)
    {
        var arn = Encoding.UTF8.GetBytes(key.Arn);
        var blob = new byte[1 + 2 + arn.Length + 12 + plaintext.Length + 16];
        blob[0] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(blob.AsSpan(1), (ushort)arn.Length);
        arn.CopyTo(blob, 3);
        var nonce = blob.AsSpan(3 + arn.Length, 12);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Material, 16);
        aes.Encrypt(nonce, plaintext, blob.AsSpan(3 + arn.Length + 12, plaintext.Length), blob.AsSpan(blob.Length - 16), Associated(context));
        return blob;
    }

    /// <summary>The ARN the blob names, or <see langword="null"/> when it is not a blob of this server.</summary>
    public static string? ArnOf(ReadOnlySpan<byte> blob)
    {
        if (blob.Length < 3 + 12 + 16 || blob[0] != 1)
        {
            return null;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(blob[1..]);
        return blob.Length < 3 + length + 12 + 16 ? null : Encoding.UTF8.GetString(blob.Slice(3, length));
    }

    public static byte[]? TryOpen(KmsKey key, ReadOnlySpan<byte> blob, IReadOnlyDictionary<string, string> context)
    {
        int length = BinaryPrimitives.ReadUInt16BigEndian(blob[1..]);
        var nonce = blob.Slice(3 + length, 12);
        var ciphertext = blob[(3 + length + 12)..^16];
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key.Material, 16);
            aes.Decrypt(nonce, ciphertext, blob[^16..], plaintext, Associated(context));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    private static byte[] Associated(IReadOnlyDictionary<string, string> context)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in context.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(key.Length).Append(':').Append(key).Append(value.Length).Append(':').Append(value);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
