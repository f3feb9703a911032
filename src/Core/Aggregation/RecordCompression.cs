namespace Kinesis.Clients.Aggregation;

/// <summary>An algorithm and level for compressing Kinesis records into a record envelope (<see cref="RecordCodec"/>).</summary>
public sealed record RecordCompression
{
    /// <summary>The default Zstandard level: zstd's own default, fast with a good ratio.</summary>
    public const int DefaultZstdLevel = 3;

    /// <summary>The default gzip level: zlib's own default.</summary>
    public const int DefaultGzipLevel = 6;

    /// <summary>No compression: records go out as they are.</summary>
    public static RecordCompression None { get; } = new(CompressionAlgorithm.None, 0);

    /// <summary>Creates a setting.</summary>
    /// <param name="algorithm">The algorithm.</param>
    /// <param name="level">Zstd: 1 to 22 (higher is smaller and slower); gzip: 1 to 9; none: 0.</param>
    public RecordCompression(CompressionAlgorithm algorithm, int level)
    {
        Algorithm = algorithm;
        Level = level;
    }

    /// <summary>The algorithm.</summary>
    public CompressionAlgorithm Algorithm { get; }

    /// <summary>The level: zstd 1 to 22, gzip 1 to 9, 0 with <see cref="CompressionAlgorithm.None"/>.</summary>
    public int Level { get; }

    /// <summary>Whether records are compressed at all.</summary>
    public bool IsEnabled => Algorithm != CompressionAlgorithm.None;

    /// <summary>Zstandard at a level.</summary>
    /// <param name="level">1 to 22. <value>Default: 3.</value></param>
    /// <returns>The setting.</returns>
    public static RecordCompression Zstd(int level = DefaultZstdLevel) => new(CompressionAlgorithm.Zstd, level);

    /// <summary>Gzip at a level.</summary>
    /// <param name="level">1 to 9. <value>Default: 6.</value></param>
    /// <returns>The setting.</returns>
    public static RecordCompression Gzip(int level = DefaultGzipLevel) => new(CompressionAlgorithm.Gzip, level);

    /// <summary>Throws when the algorithm is unknown or the level outside its range.</summary>
    /// <param name="name">The option's name, for the message.</param>
    /// <exception cref="ArgumentException">The setting is not valid.</exception>
    public void Validate(string name)
    {
        var (min, max) = Algorithm switch
        {
            CompressionAlgorithm.None => (0, 0),
            CompressionAlgorithm.Gzip => (1, 9),
            CompressionAlgorithm.Zstd => (1, 22),
            _ => throw new ArgumentException($"{name}.Algorithm must be None, Gzip or Zstd; got {(int)Algorithm}.", name),
        };
        if (Level < min || Level > max)
        {
            throw new ArgumentException($"{name}.Level for {Algorithm} must be between {min} and {max}; got {Level}.", name);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => IsEnabled ? $"{Algorithm} level {Level}" : "None";
}
