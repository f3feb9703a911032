using System.Text;
using System.Text.RegularExpressions;

namespace Kinesis.Clients.Agent.Tests.Tailing;

/// <summary>
/// The record rules written the slow, obvious way over a whole content: the reference the framer is checked
/// against, whatever the read sizes.
/// </summary>
internal static class FramerModel
{
    /// <summary>Records (bytes, end offset) of <paramref name="content"/>; with <paramref name="final"/> the last unfinished line counts too.</summary>
    public static List<(byte[] Bytes, long End)> Records(byte[] content, int max, byte[] terminator, int headerLines, Regex? start, bool final)
    {
        var lines = new List<(int Start, int End, int Next)>();
        var position = 0;
        while (position < content.Length)
        {
            var newline = Array.IndexOf(content, (byte)'\n', position);
            if (newline < 0)
            {
                if (final)
                {
                    lines.Add((position, content.Length, content.Length));
                }

                break;
            }

            lines.Add((position, newline, newline + 1));
            position = newline + 1;
        }

        // An unfinished line already longer than a record can be is judged by its first bytes at once: if it
        // starts a record, the record before it is complete.
        var overLongStart = false;
        if (!final && start is not null && content.Length - position > max && lines.Count >= headerLines)
        {
            var prefix = Encoding.UTF8.GetString(content, position, Strip(content, position, position + max) - position);
            overLongStart = start.IsMatch(prefix);
        }

        lines = lines.Skip(headerLines).ToList();
        var records = new List<(byte[], long)>();
        if (start is null)
        {
            foreach (var line in lines)
            {
                records.Add((Cut(content, line.Start, line.Next, max, terminator), line.Next));
            }

            return records;
        }

        var groupStart = -1;
        var groupEnd = -1;
        long groupNext = -1;
        foreach (var line in lines)
        {
            var text = Encoding.UTF8.GetString(content, line.Start, Strip(content, line.Start, line.End) - line.Start);
            if (groupStart < 0 || start.IsMatch(text))
            {
                if (groupStart >= 0)
                {
                    records.Add((Cut(content, groupStart, groupEnd, max, terminator), groupNext));
                }

                groupStart = line.Start;
            }

            groupEnd = line.Next;
            groupNext = line.Next;
        }

        // The last group waits for the next start line unless the content is final.
        if (groupStart >= 0 && (final || overLongStart))
        {
            records.Add((Cut(content, groupStart, groupEnd, max, terminator), groupNext));
        }

        return records;
    }

    private static int Strip(byte[] content, int start, int end) => end > start && content[end - 1] == '\r' ? end - 1 : end;

    // A record is its bytes as the file has them, line break included.
    private static byte[] Cut(byte[] content, int start, int end, int max, byte[] terminator)
    {
        if (end - start <= max)
        {
            return content[start..end];
        }

        return [.. content[start..(start + max - terminator.Length)], .. terminator];
    }
}
