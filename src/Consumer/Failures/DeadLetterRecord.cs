using System.Formats.Cbor;

namespace Kinesis.Clients.Consumer;

/// <summary>
/// One record the consumer wrote to its dead-letter stream: the original record (partition key, explicit hash key,
/// data, position) and where and why it failed. On the wire it is a CBOR map behind the self-describe tag
/// (<c>D9 D9 F7</c>), the data as a byte string; the layout is in <c>src/Consumer/Failures/README.md</c>.
/// </summary>
public sealed class DeadLetterRecord
{
    /// <summary>The format's version, key <c>v</c>.</summary>
    public const int Version = 1;

    // Exception messages can be huge (whole payloads); the record has to stay within the stream's record size.
    private const int MaxMessageLength = 1_000;
    private const ulong SelfDescribeTag = 55799;

    private DeadLetterRecord()
    {
    }

    /// <summary>The consuming application (<see cref="KinesisConsumerOptions.ApplicationName"/>), key <c>app</c>.</summary>
    public string Application { get; private init; } = "";

    /// <summary>The stream the record was read from, key <c>stream</c>.</summary>
    public string StreamName { get; private init; } = "";

    /// <summary>The shard the record was read from, key <c>shard</c>.</summary>
    public string ShardId { get; private init; } = "";

    /// <summary>The record's sequence number in its shard, key <c>seq</c>.</summary>
    public string SequenceNumber { get; private init; } = "";

    /// <summary>The record's index inside a KPL aggregate (0 for a plain record), key <c>sub</c>.</summary>
    public long SubSequenceNumber { get; private init; }

    /// <summary>The record's partition key (also the dead-letter entry's partition key), key <c>pk</c>.</summary>
    public string PartitionKey { get; private init; } = "";

    /// <summary>The record's explicit hash key from its aggregate, if it had one, key <c>ehk</c> (absent otherwise).</summary>
    public string? ExplicitHashKey { get; private init; }

    /// <summary>When Kinesis took the original record, key <c>arrival</c> (Unix milliseconds).</summary>
    public DateTimeOffset ApproximateArrivalTimestamp { get; private init; }

    /// <summary>When the consumer gave up on it, key <c>failedAt</c> (Unix milliseconds).</summary>
    public DateTimeOffset FailedAt { get; private init; }

    /// <summary>How many times the processor was given the record, key <c>attempts</c>.</summary>
    public int Attempts { get; private init; }

    /// <summary>The full type name of the processor's last exception, key <c>error</c>.</summary>
    public string ErrorType { get; private init; } = "";

    /// <summary>The exception's message (at most 1,000 characters), key <c>message</c>.</summary>
    public string ErrorMessage { get; private init; } = "";

    /// <summary>The record's data, unchanged, key <c>data</c>.</summary>
    public ReadOnlyMemory<byte> Data { get; private init; }

    /// <summary>Reads a dead-letter record from a Kinesis record's data.</summary>
    /// <param name="data">The data of a record of the dead-letter stream.</param>
    /// <returns>The record.</returns>
    /// <exception cref="FormatException">The data is not a dead-letter record of this version.</exception>
    public static DeadLetterRecord Decode(ReadOnlyMemory<byte> data)
    {
        try
        {
            var reader = new CborReader(data);
            if (reader.PeekState() == CborReaderState.Tag && reader.PeekTag() == (CborTag)SelfDescribeTag)
            {
                reader.ReadTag();
            }

            var count = reader.ReadStartMap();
            int? version = null;
            string? app = null, stream = null, shard = null, seq = null, pk = null, ehk = null, error = null, message = null;
            long sub = 0, arrival = 0, failedAt = 0;
            int attempts = 0;
            ReadOnlyMemory<byte>? payload = null;
            for (var i = 0; count is null ? reader.PeekState() != CborReaderState.EndMap : i < count; i++)
            {
                switch (reader.ReadTextString())
                {
                    case "v": version = reader.ReadInt32(); break;
                    case "app": app = reader.ReadTextString(); break;
                    case "stream": stream = reader.ReadTextString(); break;
                    case "shard": shard = reader.ReadTextString(); break;
                    case "seq": seq = reader.ReadTextString(); break;
                    case "sub": sub = reader.ReadInt64(); break;
                    case "pk": pk = reader.ReadTextString(); break;
                    case "ehk": ehk = reader.ReadTextString(); break;
                    case "arrival": arrival = reader.ReadInt64(); break;
                    case "failedAt": failedAt = reader.ReadInt64(); break;
                    case "attempts": attempts = reader.ReadInt32(); break;
                    case "error": error = reader.ReadTextString(); break;
                    case "message": message = reader.ReadTextString(); break;
                    case "data": payload = reader.ReadByteString(); break;
                    default: reader.SkipValue(); break; // a later version's addition
                }
            }

            reader.ReadEndMap();
            if (version != Version || app is null || stream is null || shard is null || seq is null || pk is null || payload is null)
            {
                throw new FormatException(
                    $"Not a version {Version} dead-letter record (version {version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent"}, or a required key of app, stream, shard, seq, pk, data missing).");
            }

            return new DeadLetterRecord
            {
                Application = app,
                StreamName = stream,
                ShardId = shard,
                SequenceNumber = seq,
                SubSequenceNumber = sub,
                PartitionKey = pk,
                ExplicitHashKey = ehk,
                ApproximateArrivalTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(arrival),
                FailedAt = DateTimeOffset.FromUnixTimeMilliseconds(failedAt),
                Attempts = attempts,
                ErrorType = error ?? "",
                ErrorMessage = message ?? "",
                Data = payload.Value,
            };
        }
        catch (Exception ex) when (ex is CborContentException or InvalidOperationException or OverflowException)
        {
            throw new FormatException($"Not a dead-letter record: {ex.Message}", ex);
        }
    }

    internal static byte[] Encode(string application, string stream, string shardId, ConsumerRecord record, FailedBatch failure, DateTimeOffset failedAt)
    {
        var writer = new CborWriter(CborConformanceMode.Lax, initialCapacity: record.Data.Length + 512);
        writer.WriteTag((CborTag)SelfDescribeTag);
        writer.WriteStartMap(record.ExplicitHashKey is null ? 13 : 14);
        writer.WriteTextString("v");
        writer.WriteInt32(Version);
        writer.WriteTextString("app");
        writer.WriteTextString(application);
        writer.WriteTextString("stream");
        writer.WriteTextString(stream);
        writer.WriteTextString("shard");
        writer.WriteTextString(shardId);
        writer.WriteTextString("seq");
        writer.WriteTextString(record.SequenceNumber);
        writer.WriteTextString("sub");
        writer.WriteInt64(record.SubSequenceNumber);
        writer.WriteTextString("pk");
        writer.WriteTextString(record.PartitionKey);
        if (record.ExplicitHashKey is { } ehk)
        {
            writer.WriteTextString("ehk");
            writer.WriteTextString(ehk);
        }

        writer.WriteTextString("arrival");
        writer.WriteInt64(record.ApproximateArrivalTimestamp.ToUnixTimeMilliseconds());
        writer.WriteTextString("failedAt");
        writer.WriteInt64(failedAt.ToUnixTimeMilliseconds());
        writer.WriteTextString("attempts");
        writer.WriteInt32(failure.Attempts);
        writer.WriteTextString("error");
        writer.WriteTextString(failure.Exception.GetType().FullName ?? failure.Exception.GetType().Name);
        writer.WriteTextString("message");
        writer.WriteTextString(Truncate(failure.Exception.Message));
        writer.WriteTextString("data");
        writer.WriteByteString(record.Data.Span);
        writer.WriteEndMap();
        return writer.Encode();
    }

    private static string Truncate(string message)
    {
        if (message.Length <= MaxMessageLength)
        {
            return message;
        }

        // Never cut a surrogate pair in half: CBOR text must be valid UTF-8.
        var length = char.IsHighSurrogate(message[MaxMessageLength - 1]) ? MaxMessageLength - 1 : MaxMessageLength;
        return message[..length];
    }
}
