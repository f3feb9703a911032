namespace Kinesis.Clients.Records;

/// <summary>
/// An inclusive range of hash keys, such as the [StartingHashKey, EndingHashKey] a shard owns.
/// </summary>
public readonly struct HashKeyRange : IEquatable<HashKeyRange>
{
    /// <summary>Creates a range; both ends are inclusive.</summary>
    /// <param name="startingHashKey">The lowest hash key in the range.</param>
    /// <param name="endingHashKey">The highest hash key in the range.</param>
    /// <exception cref="ArgumentException"><paramref name="startingHashKey"/> is above <paramref name="endingHashKey"/>.</exception>
    public HashKeyRange(HashKey startingHashKey, HashKey endingHashKey)
    {
        if (startingHashKey > endingHashKey)
        {
            throw new ArgumentException(
                $"A hash key range must start at or below its end; got start {startingHashKey} and end {endingHashKey}.",
                nameof(startingHashKey));
        }

        StartingHashKey = startingHashKey;
        EndingHashKey = endingHashKey;
    }

    /// <summary>The whole key space, [0, 2^128 − 1]: what the only shard of a one-shard stream owns.</summary>
    public static HashKeyRange Full => new(HashKey.MinValue, HashKey.MaxValue);

    /// <summary>The lowest hash key in the range.</summary>
    public HashKey StartingHashKey { get; }

    /// <summary>The highest hash key in the range.</summary>
    public HashKey EndingHashKey { get; }

    /// <summary>Parses a range from the decimal strings Kinesis returns for a shard.</summary>
    /// <param name="startingHashKey">The StartingHashKey in decimal.</param>
    /// <param name="endingHashKey">The EndingHashKey in decimal.</param>
    /// <returns>The range.</returns>
    /// <exception cref="FormatException">Either end is not a valid hash key.</exception>
    /// <exception cref="ArgumentException">The start is above the end.</exception>
    public static HashKeyRange Parse(string startingHashKey, string endingHashKey) =>
        new(HashKey.Parse(startingHashKey), HashKey.Parse(endingHashKey));

    /// <summary>Whether the range holds a hash key; both ends count.</summary>
    /// <param name="hashKey">The hash key.</param>
    /// <returns><see langword="true"/> if <paramref name="hashKey"/> is in the range.</returns>
    public bool Contains(HashKey hashKey) => StartingHashKey <= hashKey && hashKey <= EndingHashKey;

    /// <summary>Whether this range holds every key of another range.</summary>
    /// <param name="other">The other range.</param>
    /// <returns><see langword="true"/> if <paramref name="other"/> lies within this range.</returns>
    public bool Contains(HashKeyRange other) =>
        StartingHashKey <= other.StartingHashKey && other.EndingHashKey <= EndingHashKey;

    /// <summary>Whether the two ranges share at least one key.</summary>
    /// <param name="other">The other range.</param>
    /// <returns><see langword="true"/> if they overlap.</returns>
    public bool Overlaps(HashKeyRange other) =>
        StartingHashKey <= other.EndingHashKey && other.StartingHashKey <= EndingHashKey;

    /// <inheritdoc/>
    public bool Equals(HashKeyRange other) =>
        StartingHashKey == other.StartingHashKey && EndingHashKey == other.EndingHashKey;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is HashKeyRange other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StartingHashKey, EndingHashKey);

    /// <summary>The range as <c>[start, end]</c> in decimal.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"[{StartingHashKey}, {EndingHashKey}]";

    /// <summary>Whether two ranges are equal.</summary>
    /// <param name="left">The first range.</param>
    /// <param name="right">The second range.</param>
    /// <returns><see langword="true"/> if equal.</returns>
    public static bool operator ==(HashKeyRange left, HashKeyRange right) => left.Equals(right);

    /// <summary>Whether two ranges differ.</summary>
    /// <param name="left">The first range.</param>
    /// <param name="right">The second range.</param>
    /// <returns><see langword="true"/> if different.</returns>
    public static bool operator !=(HashKeyRange left, HashKeyRange right) => !left.Equals(right);
}
