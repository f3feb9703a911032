using System.Buffers;
using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// SINGLELINE as the Java agent does it: split on <c>\n</c> dropping trailing empty lines (Java's
/// <c>String.split</c>), trim every byte up to 0x20 from both ends of each line (Java's <c>String.trim</c>)
/// unless NO_TRIM, join with nothing, or under ESCAPE_NEW_LINE with the three characters <c>\\n</c> (the Java
/// source's delimiter literal <c>"\\\\n"</c>), and end with one <c>\n</c>. Works on bytes: invalid UTF-8 passes
/// through untouched.
/// </summary>
internal sealed class SingleLineConverter(SingleLineOption option) : IRecordConverter
{
    private readonly bool _trim = !option.NoTrim;
    private readonly bool _escape = option.EscapeNewLine;

    /// <inheritdoc/>
    public ProcessingOutcome Convert(ReadOnlySpan<byte> record, IBufferWriter<byte> target)
    {
        // Java's split drops the empty strings at the end (before trimming), so trailing line breaks vanish
        // but "a\n \n" keeps its last line, which trimming then empties.
        var end = record.Length;
        while (end > 0 && record[end - 1] == (byte)'\n')
        {
            end--;
        }

        var rest = record[..end];
        var first = true;
        while (true)
        {
            var newline = rest.IndexOf((byte)'\n');
            var line = newline < 0 ? rest : rest[..newline];
            if (!first && _escape)
            {
                Utf8Text.Write(target, "\\\\n"u8);
            }

            Utf8Text.Write(target, _trim ? Trim(line) : line);
            first = false;
            if (newline < 0)
            {
                break;
            }

            rest = rest[(newline + 1)..];
        }

        Utf8Text.Write(target, (byte)'\n');
        return ProcessingOutcome.Converted;
    }

    private static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line)
    {
        var start = 0;
        while (start < line.Length && line[start] <= (byte)' ')
        {
            start++;
        }

        var end = line.Length;
        while (end > start && line[end - 1] <= (byte)' ')
        {
            end--;
        }

        return line[start..end];
    }
}
