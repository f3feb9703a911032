using Kinesis.Clients.Producer.Configuration;

namespace Kinesis.Clients.Producer;

/// <summary>Loading the KPL's own configuration file.</summary>
public sealed partial class KinesisProducerOptions
{
    /// <summary>KPL keys read from a file that configure the KPL's native process; the producer logs each once.</summary>
    internal IReadOnlyList<(string Key, string Why)> NotApplicableKplKeys { get; private set; } = [];

    /// <summary>
    /// Options from a KPL configuration file (the <c>default_config.properties</c> the Java KPL's
    /// <c>KinesisProducerConfiguration.fromPropertiesFile</c> reads): the same keys, values and syntax. Keys not in
    /// the file keep their defaults; keys that only configure the KPL's native process (<c>NativeExecutable</c>,
    /// <c>ThreadingModel</c>, ...) are checked and then logged once as not applicable when the producer starts.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <exception cref="ArgumentException">A key is unknown or a value is outside the KPL's range; the message names the key and line.</exception>
    public static KinesisProducerOptions FromKplProperties(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Load(reader, path);
    }

    /// <summary>As <see cref="FromKplProperties(string)"/>, from text in the KPL's properties syntax.</summary>
    /// <param name="reader">The text.</param>
    /// <exception cref="ArgumentException">A key is unknown or a value is outside the KPL's range; the message names the key and line.</exception>
    public static KinesisProducerOptions FromKplProperties(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return Load(reader, "KPL properties");
    }

    private static KinesisProducerOptions Load(TextReader reader, string source)
    {
        List<PropertyEntry> entries;
        try
        {
            entries = JavaPropertiesReader.Read(reader);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"{source}: {ex.Message}", ex);
        }

        var options = new KinesisProducerOptions();
        options.NotApplicableKplKeys = KplPropertyMap.Apply(options, entries, source);
        return options;
    }
}
