using CsCheck;

namespace Kinesis.Clients.Tests.Aggregation;

/// <summary>Generators of user records that exercise the aggregation format's corners.</summary>
internal static class AggregationGen
{
    // Unicode scalar values only: partition keys are well-formed text (validation refuses lone surrogates).
    private static readonly Gen<string> UnicodeKey =
        Gen.Int[0, 0x10FFFF].Where(cp => cp is < 0xD800 or > 0xDFFF).Array[1, 12]
            .Select(cps => string.Concat(cps.Select(char.ConvertFromUtf32)));

    // A small pool makes keys repeat, so deduplication is exercised.
    private static readonly Gen<string> PooledKey = Gen.Int[0, 6].Select(i => $"pk{i}");

    private static readonly Gen<string> AsciiKey = Gen.String[Gen.Char.AlphaNumeric, 1, 256];

    public static readonly Gen<string> PartitionKey = Gen.Frequency(
        (4, PooledKey),
        (2, AsciiKey),
        (2, UnicodeKey));

    public static readonly Gen<string?> ExplicitHashKey = Gen.Frequency(
        (3, Gen.Const((string?)null)),
        (1, Gen.Int[0, 4].Select(i => (string?)(i * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture))),
        (1, Gen.Select(Gen.ULong, Gen.ULong, (hi, lo) => (string?)new UInt128(hi, lo).ToString(System.Globalization.CultureInfo.InvariantCulture))));

    public static readonly Gen<byte[]> Data = Gen.Frequency(
        (1, Gen.Const(Array.Empty<byte>())),
        (6, Gen.Byte.Array[0, 200]),
        (1, Gen.Byte.Array[100, 20_000]));

    public static readonly Gen<TestRecord> Record =
        Gen.Select(PartitionKey, ExplicitHashKey, Data, (pk, ehk, data) => new TestRecord(pk, ehk, data));

    public static readonly Gen<TestRecord[]> Records = Record.Array[1, 40];

    /// <summary>Hundreds of distinct keys, so table indices need multi-byte varints.</summary>
    public static readonly Gen<TestRecord[]> ManyKeys = Gen.Int[120, 400].SelectMany(count =>
        Gen.Byte.Array[0, 8].Array[count].Select(datas =>
            datas.Select((data, i) => new TestRecord($"key-{i}", i % 3 == 0 ? $"{i}" : null, data)).ToArray()));

    public static readonly Gen<TestRecord[]> AnyRecords = Gen.Frequency((5, Records), (1, ManyKeys));
}
