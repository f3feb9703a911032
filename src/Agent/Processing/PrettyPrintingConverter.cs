using System.Buffers;

namespace Kinesis.Clients.Agent.Processing;

/// <summary><c>"jsonFormat": "PRETTYPRINT"</c>: runs the option compactly, then lays its JSON out as Jackson would.</summary>
internal sealed class PrettyPrintingConverter(IRecordConverter inner) : IRecordConverter
{
    /// <inheritdoc/>
    public ProcessingOutcome Convert(ReadOnlySpan<byte> record, IBufferWriter<byte> target)
    {
        var compact = Scratch.Pretty;
        var outcome = inner.Convert(record, compact);
        if (outcome == ProcessingOutcome.Converted)
        {
            JacksonPrettyPrinter.Write(compact.WrittenSpan, target);
        }

        return outcome;
    }
}
