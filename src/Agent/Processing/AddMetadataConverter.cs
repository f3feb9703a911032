using System.Buffers;
using System.Globalization;
using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// ADDMETADATA: <c>{"ts":"2024-05-01T12:00:00.123Z","metadata":{...},"data":"record"}</c>, <c>ts</c> first and
/// only when asked for (UTC, milliseconds, from the injected clock), as the Java agent's LinkedHashMap orders it.
/// </summary>
internal sealed class AddMetadataConverter : IRecordConverter
{
    private readonly TimeProvider _time;
    private readonly bool _timestamp;
    private readonly byte[] _metadataAndData;

    /// <summary>Prepares the option: the metadata is serialised once here.</summary>
    public AddMetadataConverter(AddMetadataOption option, TimeProvider timeProvider)
    {
        _time = timeProvider;
        _timestamp = option.Timestamp;
        _metadataAndData = [.. "\"metadata\":"u8, .. MetadataWriter.Serialize(option.Metadata), .. ",\"data\":"u8];
    }

    /// <inheritdoc/>
    public ProcessingOutcome Convert(ReadOnlySpan<byte> record, IBufferWriter<byte> target)
    {
        var data = Utf8Text.Repair(record);
        Utf8Text.Write(target, (byte)'{');
        if (_timestamp)
        {
            Span<byte> stamp = stackalloc byte[32];
            _time.GetUtcNow().UtcDateTime.TryFormat(stamp, out var length, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            Utf8Text.Write(target, "\"ts\":\""u8);
            Utf8Text.Write(target, stamp[..length]);
            Utf8Text.Write(target, "\","u8);
        }

        Utf8Text.Write(target, _metadataAndData);
        JacksonJson.WriteString(target, data);
        Utf8Text.Write(target, (byte)'}');
        return ProcessingOutcome.Converted;
    }
}
