using System.Text;

namespace Kinesis.Clients.Encryption;

/// <summary>
/// One KMS data key in use for encryption: its plaintext (never logged), what the envelope carries to find it
/// again, and what it has encrypted so far. Records take a use (a nonce) by an atomic increment, so many senders
/// share it without a lock.
/// </summary>
internal sealed class DataKey
{
    private long _records;
    private long _bytes;

    public DataKey(byte[] plaintext, byte[] encryptedKey, string keyId, long createdAt)
    {
        Plaintext = plaintext;
        EncryptedKey = encryptedKey;
        KeyId = keyId;
        KeyIdBytes = Encoding.UTF8.GetBytes(keyId);
        CreatedAt = createdAt;
    }

    public byte[] Plaintext { get; }

    public byte[] EncryptedKey { get; }

    public string KeyId { get; }

    public byte[] KeyIdBytes { get; }

    /// <summary>When it was received, in the encryptor's timestamp ticks.</summary>
    public long CreatedAt { get; }

    public long Records => Volatile.Read(ref _records);

    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Takes one record's use of <paramref name="bytes"/> plaintext bytes, if the bounds allow it.</summary>
    /// <param name="bytes">The record's plaintext bytes.</param>
    /// <param name="maxRecords">The most records per key.</param>
    /// <param name="maxBytes">The most bytes per key.</param>
    /// <param name="nonce">The use's number, unique for this key: the record's nonce.</param>
    public bool TryUse(long bytes, long maxRecords, long maxBytes, out long nonce)
    {
        nonce = Interlocked.Increment(ref _records);
        var total = Interlocked.Add(ref _bytes, bytes);

        // The first use is always allowed, so a record larger than the byte bound still gets a key of its own
        // (the AWS Encryption SDK exempts a key's first use the same way).
        return nonce == 1 || (nonce <= maxRecords && total <= maxBytes);
    }
}
