using System.Buffers;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// ADDBRACKETS: <c>{</c> + the record + <c>}</c>, the record's line break included (the Java agent wraps the data
/// as it is, so <c>"a\n"</c> becomes <c>"{a\n}"</c>). Invalid UTF-8 becomes U+FFFD, as Java's string round trip does.
/// </summary>
internal sealed class BracketsConverter : IRecordConverter
{
    /// <inheritdoc/>
    public ProcessingOutcome Convert(ReadOnlySpan<byte> record, IBufferWriter<byte> target)
    {
        Utf8Text.Write(target, (byte)'{');
        Utf8Text.Write(target, Utf8Text.Repair(record));
        Utf8Text.Write(target, (byte)'}');
        return ProcessingOutcome.Converted;
    }
}
