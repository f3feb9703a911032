using System.Globalization;

namespace Kinesis.Clients.Wire;

/// <summary>
/// One node of a decoded response body. Both encodings decode to this shape, and the typed
/// accessors accept every form a Kinesis-compatible engine is known to send: blobs as byte strings
/// or base64 text, timestamps as tagged dates, float epoch seconds or integer epoch milliseconds.
/// </summary>
internal sealed class WireValue
{
    private static readonly IReadOnlyList<WireValue> NoItems = [];
    private static readonly IReadOnlyDictionary<string, WireValue> NoProperties = new Dictionary<string, WireValue>();

    // Declared after the empty collections it uses: static fields initialise in text order.
    public static readonly WireValue Null = new(WireKind.Null);

    private WireValue(WireKind kind) => Kind = kind;

    public WireKind Kind { get; private init; }

    public long Integer { get; private init; }

    public double Float { get; private init; }

    public bool Boolean { get; private init; }

    public string? Text { get; private init; }

    public ReadOnlyMemory<byte> Bytes { get; private init; }

    public IReadOnlyList<WireValue> Items { get; private init; } = NoItems;

    public IReadOnlyDictionary<string, WireValue> Properties { get; private init; } = NoProperties;

    public static WireValue FromBoolean(bool value) => new(WireKind.Boolean) { Boolean = value };

    public static WireValue FromInteger(long value) => new(WireKind.Integer) { Integer = value, Float = value };

    public static WireValue FromFloat(double value) => new(WireKind.Float) { Float = value };

    public static WireValue FromText(string value) => new(WireKind.Text) { Text = value };

    public static WireValue FromBytes(ReadOnlyMemory<byte> value) => new(WireKind.Bytes) { Bytes = value };

    public static WireValue FromArray(IReadOnlyList<WireValue> items) => new(WireKind.Array) { Items = items };

    public static WireValue FromMap(IReadOnlyDictionary<string, WireValue> properties) =>
        new(WireKind.Map) { Properties = properties };

    /// <summary>A tagged CBOR date: <see cref="Float"/> holds epoch seconds.</summary>
    public static WireValue FromTimestampSeconds(double epochSeconds) =>
        new(WireKind.Timestamp) { Float = epochSeconds };

    /// <summary>The property <paramref name="name"/> of a map, or <see cref="Null"/> when absent.</summary>
    public WireValue this[string name] =>
        Properties.TryGetValue(name, out var value) ? value : Null;

    public bool IsNull => Kind == WireKind.Null;

    public string? AsString() => Kind switch
    {
        WireKind.Null => null,
        WireKind.Text => Text,
        WireKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        WireKind.Float => Float.ToString("R", CultureInfo.InvariantCulture),
        WireKind.Boolean => Boolean ? "true" : "false",
        _ => throw Unexpected("a string"),
    };

    public string RequiredString(string name) =>
        this[name].AsString() ?? throw new WireFormatException($"Response is missing the required field '{name}'.");

    public long? AsInt64() => Kind switch
    {
        WireKind.Null => null,
        WireKind.Integer => Integer,
        WireKind.Float => checked((long)Float),
        WireKind.Text => long.Parse(Text!, NumberStyles.Integer, CultureInfo.InvariantCulture),
        _ => throw Unexpected("an integer"),
    };

    public bool? AsBoolean() => Kind switch
    {
        WireKind.Null => null,
        WireKind.Boolean => Boolean,
        WireKind.Text => bool.Parse(Text!),
        _ => throw Unexpected("a boolean"),
    };

    /// <summary>A blob: a byte string, or base64 text (JSON, and kinesis-mock's CBOR replies).</summary>
    public ReadOnlyMemory<byte> AsBlob() => Kind switch
    {
        WireKind.Null => ReadOnlyMemory<byte>.Empty,
        WireKind.Bytes => Bytes,
        WireKind.Text => Convert.FromBase64String(Text!),
        _ => throw Unexpected("a blob"),
    };

    /// <summary>
    /// A timestamp in any of the forms engines send: a tagged date, epoch seconds (possibly
    /// fractional), integer epoch milliseconds, or ISO 8601 text.
    /// </summary>
    public DateTimeOffset? AsTimestamp()
    {
        switch (Kind)
        {
            case WireKind.Null:
                return null;
            case WireKind.Timestamp:
            case WireKind.Float:
                return FromSeconds(Float);
            case WireKind.Integer:
                // No epoch-seconds value this large is a plausible date (year 5138), so it is milliseconds.
                return Math.Abs(Integer) >= 100_000_000_000L
                    ? DateTimeOffset.FromUnixTimeMilliseconds(Integer)
                    : DateTimeOffset.FromUnixTimeSeconds(Integer);
            case WireKind.Text:
                if (double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                {
                    return FromSeconds(seconds);
                }

                return DateTimeOffset.Parse(Text!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            default:
                throw Unexpected("a timestamp");
        }
    }

    private static DateTimeOffset FromSeconds(double seconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000.0));

    private WireFormatException Unexpected(string wanted) =>
        new($"Expected {wanted} in the response body but found {Kind}.");
}
