using System.Buffers;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// The line handling the Java agent's JSON converters (CSVTOJSON, LOGTOJSON, ADDMETADATA, ADDEC2METADATA) share:
/// one final <c>\n</c> of the record is removed before converting, and the JSON written (compact, or laid out by
/// <see cref="PrettyPrintingConverter"/>) is followed by one <c>\n</c>.
/// </summary>
internal sealed class JsonLineConverter(IRecordConverter inner) : IRecordConverter
{
    /// <inheritdoc/>
    public ProcessingOutcome Convert(ReadOnlySpan<byte> record, IBufferWriter<byte> target)
    {
        var line = record.Length > 0 && record[^1] == (byte)'\n' ? record[..^1] : record;
        var outcome = inner.Convert(line, target);
        if (outcome == ProcessingOutcome.Converted)
        {
            Utf8Text.Write(target, (byte)'\n');
        }

        return outcome;
    }
}
