using System.Text;
using Google.Protobuf;

namespace Kinesis.Clients.Tests.Aggregation;

/// <summary>
/// A second reading of aggregate bodies built only on Google.Protobuf's <see cref="CodedInputStream"/>: what a
/// protobuf-java parser (the KCL's) accepts, with proto2 required fields and table indices checked. Strings are read
/// as bytes and decoded leniently, as protobuf-java does for proto2. Unknown fields are skipped as protobuf-java
/// skips them: Google.Protobuf's own skipping lets wire types 6 and 7 through, protobuf-java refuses them.
/// </summary>
internal static class ReferenceDecoder
{
    /// <summary>The user records of a body, or <see langword="null"/> if a KCL would not treat it as an aggregate.</summary>
    public static List<TestRecord>? Decode(byte[] body)
    {
        try
        {
            return DecodeOrThrow(body);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The tags of a body's top-level fields and of each record's fields, in the order they appear.</summary>
    public static (List<uint> TopLevel, List<List<uint>> PerRecord) FieldOrder(byte[] body)
    {
        var topLevel = new List<uint>();
        var perRecord = new List<List<uint>>();
        var input = new CodedInputStream(body);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            topLevel.Add(tag);
            if (tag == 26)
            {
                var recordTags = new List<uint>();
                var record = new CodedInputStream(input.ReadBytes().ToByteArray());
                for (var inner = record.ReadTag(); inner != 0; inner = record.ReadTag())
                {
                    recordTags.Add(inner);
                    record.SkipLastField();
                }

                perRecord.Add(recordTags);
            }
            else
            {
                input.SkipLastField();
            }
        }

        return (topLevel, perRecord);
    }

    private static List<TestRecord>? DecodeOrThrow(byte[] body)
    {
        var partitionKeys = new List<string>();
        var explicitHashKeys = new List<string>();
        var records = new List<(ulong Pk, ulong? Ehk, byte[] Data)>();
        var input = new CodedInputStream(body);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (tag)
            {
                case 10:
                    partitionKeys.Add(Encoding.UTF8.GetString(input.ReadBytes().Span));
                    break;
                case 18:
                    explicitHashKeys.Add(Encoding.UTF8.GetString(input.ReadBytes().Span));
                    break;
                case 26:
                    var record = ReadRecord(input.ReadBytes().ToByteArray());
                    if (record is null)
                    {
                        return null;
                    }

                    records.Add(record.Value);
                    break;
                default:
                    Skip(input, tag);
                    break;
            }
        }

        if (records.Count == 0
            || records.Any(r => r.Pk >= (ulong)partitionKeys.Count || (r.Ehk is { } e && e >= (ulong)explicitHashKeys.Count)))
        {
            return null;
        }

        return records
            .Select(r => new TestRecord(
                partitionKeys[(int)r.Pk],
                r.Ehk is { } e ? explicitHashKeys[(int)e] : null,
                r.Data))
            .ToList();
    }

    private static void Skip(CodedInputStream input, uint tag)
    {
        switch (WireFormat.GetTagWireType(tag))
        {
            case WireFormat.WireType.Varint:
            case WireFormat.WireType.Fixed64:
            case WireFormat.WireType.LengthDelimited:
            case WireFormat.WireType.Fixed32:
                input.SkipLastField();
                return;
            case WireFormat.WireType.StartGroup:
                for (var inner = input.ReadTag(); inner != 0; inner = input.ReadTag())
                {
                    if (WireFormat.GetTagWireType(inner) == WireFormat.WireType.EndGroup)
                    {
                        if (WireFormat.GetTagFieldNumber(inner) != WireFormat.GetTagFieldNumber(tag))
                        {
                            throw new InvalidDataException("A group is closed with another field number.");
                        }

                        return;
                    }

                    Skip(input, inner);
                }

                throw new InvalidDataException("A group is never closed.");
            default:
                throw new InvalidDataException($"Wire type {(int)WireFormat.GetTagWireType(tag)} is not skippable.");
        }
    }

    private static (ulong Pk, ulong? Ehk, byte[] Data)? ReadRecord(byte[] bytes)
    {
        ulong? pk = null;
        ulong? ehk = null;
        byte[]? data = null;
        var input = new CodedInputStream(bytes);
        for (var tag = input.ReadTag(); tag != 0; tag = input.ReadTag())
        {
            switch (tag)
            {
                case 8:
                    pk = input.ReadUInt64();
                    break;
                case 16:
                    ehk = input.ReadUInt64();
                    break;
                case 26:
                    data = input.ReadBytes().ToByteArray();
                    break;
                default:
                    Skip(input, tag);
                    break;
            }
        }

        return pk is { } p && data is not null ? (p, ehk, data) : null;
    }
}
