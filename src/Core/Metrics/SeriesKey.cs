namespace Kinesis.Clients.Metrics;

/// <summary>
/// The tag values that tell one series of a metric from another: stream, shard and up to four declared tag
/// dimensions. A struct of strings so that finding an existing series allocates nothing.
/// </summary>
internal readonly struct SeriesKey : IEquatable<SeriesKey>
{
    public SeriesKey(string? stream, string? shard, string? tag0, string? tag1, string? tag2, string? tag3)
    {
        Stream = stream;
        Shard = shard;
        Tag0 = tag0;
        Tag1 = tag1;
        Tag2 = tag2;
        Tag3 = tag3;
    }

    public string? Stream { get; }

    public string? Shard { get; }

    public string? Tag0 { get; }

    public string? Tag1 { get; }

    public string? Tag2 { get; }

    public string? Tag3 { get; }

    /// <summary>The same tags at the overall level: no stream, no shard.</summary>
    public SeriesKey Global => new(null, null, Tag0, Tag1, Tag2, Tag3);

    /// <summary>The same tags at the stream level: no shard.</summary>
    public SeriesKey StreamLevel => new(Stream, null, Tag0, Tag1, Tag2, Tag3);

    public string? Tag(int index) => index switch
    {
        0 => Tag0,
        1 => Tag1,
        2 => Tag2,
        3 => Tag3,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public bool Equals(SeriesKey other) =>
        string.Equals(Stream, other.Stream, StringComparison.Ordinal)
        && string.Equals(Shard, other.Shard, StringComparison.Ordinal)
        && string.Equals(Tag0, other.Tag0, StringComparison.Ordinal)
        && string.Equals(Tag1, other.Tag1, StringComparison.Ordinal)
        && string.Equals(Tag2, other.Tag2, StringComparison.Ordinal)
        && string.Equals(Tag3, other.Tag3, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is SeriesKey other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Stream, Shard, Tag0, Tag1, Tag2, Tag3);
}
