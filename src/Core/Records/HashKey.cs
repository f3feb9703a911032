using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Kinesis.Clients.Records;

/// <summary>
/// A position in a stream's 128-bit hash key space: the value Kinesis uses to pick the shard of a record.
/// </summary>
/// <remarks>
/// Kinesis derives it from the partition key (MD5 of its UTF-8 bytes, read as an unsigned big-endian integer)
/// unless the record carries an explicit hash key, which is this value written in decimal.
/// </remarks>
public readonly struct HashKey : IEquatable<HashKey>, IComparable<HashKey>, IComparable, ISpanFormattable
{
    /// <summary>The longest decimal form of a hash key: 2^128 − 1 has 39 digits.</summary>
    public const int MaxDecimalLength = 39;

    // Partition keys are at most 256 UTF-16 units (3 UTF-8 bytes each), so valid keys always hash from the stack.
    private const int StackallocThreshold = 1024;

    /// <summary>Creates a hash key from its 128-bit value.</summary>
    /// <param name="value">The unsigned 128-bit value.</param>
    public HashKey(UInt128 value) => Value = value;

    /// <summary>The lowest hash key, 0.</summary>
    public static HashKey MinValue => default;

    /// <summary>The highest hash key, 2^128 − 1.</summary>
    public static HashKey MaxValue => new(UInt128.MaxValue);

    /// <summary>The unsigned 128-bit value.</summary>
    public UInt128 Value { get; }

    /// <summary>Computes the hash key Kinesis assigns to a partition key: MD5 of its UTF-8 bytes, big-endian.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <returns>The hash key.</returns>
    /// <remarks>
    /// Unpaired surrogates encode as U+FFFD, as in every UTF-8 encoder on the way to the service;
    /// <see cref="RecordValidation.ValidatePartitionKey"/> rejects such keys before they get here.
    /// </remarks>
    public static HashKey FromPartitionKey(string partitionKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        return FromPartitionKey(partitionKey.AsSpan());
    }

    /// <summary>Computes the hash key Kinesis assigns to a partition key: MD5 of its UTF-8 bytes, big-endian.</summary>
    /// <param name="partitionKey">The partition key's characters.</param>
    /// <returns>The hash key.</returns>
    public static HashKey FromPartitionKey(ReadOnlySpan<char> partitionKey)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(partitionKey.Length);
        byte[]? rented = null;
        var utf8 = maxBytes <= StackallocThreshold
            ? stackalloc byte[StackallocThreshold]
            : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(partitionKey, utf8);
            return new HashKey(PartitionKeyMd5.Hash(utf8[..length]));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The hash key that places a record: its explicit hash key when it has one, else its partition key's hash.
    /// </summary>
    /// <param name="partitionKey">The record's partition key.</param>
    /// <param name="explicitHashKey">The record's explicit hash key in decimal, or <see langword="null"/>.</param>
    /// <returns>The hash key.</returns>
    /// <exception cref="FormatException"><paramref name="explicitHashKey"/> is not a valid hash key.</exception>
    public static HashKey ForRecord(string partitionKey, string? explicitHashKey) =>
        explicitHashKey is null ? FromPartitionKey(partitionKey) : Parse(explicitHashKey);

    /// <summary>Parses a hash key in the decimal form Kinesis uses.</summary>
    /// <param name="s">Decimal digits only, in [0, 2^128 − 1], without sign, spaces or leading zeros.</param>
    /// <returns>The hash key.</returns>
    /// <exception cref="FormatException"><paramref name="s"/> is not a valid hash key.</exception>
    public static HashKey Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s.AsSpan(), out var key)
            ? key
            : throw new FormatException(
                $"A hash key is a decimal integer from 0 to {UInt128.MaxValue} without sign, spaces or leading zeros; got '{DiagnosticText.Quote(s)}'.");
    }

    /// <summary>Tries to parse a hash key in the decimal form Kinesis uses.</summary>
    /// <param name="s">The text to parse.</param>
    /// <param name="result">The hash key, when parsing succeeded.</param>
    /// <returns><see langword="true"/> if <paramref name="s"/> is a valid hash key.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out HashKey result)
    {
        if (s is null)
        {
            result = default;
            return false;
        }

        return TryParse(s.AsSpan(), out result);
    }

    /// <summary>Tries to parse a hash key in the decimal form Kinesis uses.</summary>
    /// <param name="s">The text to parse.</param>
    /// <param name="result">The hash key, when parsing succeeded.</param>
    /// <returns><see langword="true"/> if <paramref name="s"/> is a valid hash key.</returns>
    /// <remarks>
    /// The grammar is the API's pattern for ExplicitHashKey, <c>0|([1-9]\d{0,38})</c>, bounded by 2^128 − 1.
    /// Leading zeros are refused because the service refuses them; it also keeps one text per value, so
    /// parsing and <see cref="ToString()"/> round-trip.
    /// </remarks>
    public static bool TryParse(ReadOnlySpan<char> s, out HashKey result)
    {
        result = default;
        if (s.IsEmpty || s.Length > MaxDecimalLength || (s[0] == '0' && s.Length > 1))
        {
            return false;
        }

        // NumberStyles.None admits ASCII digits only: no sign, no white space, no separators.
        if (!UInt128.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        result = new HashKey(value);
        return true;
    }

    /// <inheritdoc/>
    public int CompareTo(HashKey other) => Value.CompareTo(other.Value);

    /// <inheritdoc/>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        HashKey other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(HashKey)}.", nameof(obj)),
    };

    /// <inheritdoc/>
    public bool Equals(HashKey other) => Value == other.Value;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is HashKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>The decimal form Kinesis uses, e.g. in ExplicitHashKey and shard hash key ranges.</summary>
    /// <returns>The value in decimal.</returns>
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => Value.ToString(format, formatProvider);

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Value.TryFormat(destination, out charsWritten, format, provider);

    /// <summary>Whether two hash keys are equal.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> if equal.</returns>
    public static bool operator ==(HashKey left, HashKey right) => left.Equals(right);

    /// <summary>Whether two hash keys differ.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> if different.</returns>
    public static bool operator !=(HashKey left, HashKey right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> is below <paramref name="right"/>.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <(HashKey left, HashKey right) => left.Value < right.Value;

    /// <summary>Whether <paramref name="left"/> is at most <paramref name="right"/>.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>The comparison.</returns>
    public static bool operator <=(HashKey left, HashKey right) => left.Value <= right.Value;

    /// <summary>Whether <paramref name="left"/> is above <paramref name="right"/>.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >(HashKey left, HashKey right) => left.Value > right.Value;

    /// <summary>Whether <paramref name="left"/> is at least <paramref name="right"/>.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns>The comparison.</returns>
    public static bool operator >=(HashKey left, HashKey right) => left.Value >= right.Value;
}
