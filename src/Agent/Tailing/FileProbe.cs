using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>Reads a few bytes of a newly found file to decide where its tailing starts.</summary>
internal static class FileProbe
{
    /// <summary>
    /// Whether the candidate holds, just before <paramref name="end"/>, the bytes the truncated generation read
    /// there (up to 4 KiB, from its saved window). Within the head, the head comparison already covered it.
    /// </summary>
    public static bool EndsLike(SafeFileHandle handle, RetiredGeneration truncated, long end)
    {
        if (end <= truncated.Head.Length)
        {
            return true;
        }

        var from = Math.Max(truncated.WindowStart, end - 4096);
        if (from >= end || end > truncated.WindowEnd)
        {
            return false; // nothing of the old content near there is known: cannot tell, so not a copy
        }

        var expected = truncated.Window.AsSpan((int)(from - truncated.WindowStart), (int)(end - from));
        var actual = new byte[expected.Length];
        var read = 0;
        while (read < actual.Length)
        {
            var count = RandomAccess.Read(handle, actual.AsSpan(read), from + read);
            if (count == 0)
            {
                return false;
            }

            read += count;
        }

        return expected.SequenceEqual(actual);
    }

    /// <summary>The offset after the last '\n' (a line still being written is then sent whole once complete).</summary>
    public static long EndOfLastLine(SafeFileHandle handle, long size, int maxRecordBytes)
    {
        var window = Math.Min(size, maxRecordBytes + 2L);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var end = size;
            while (end > size - window)
            {
                var start = Math.Max(size - window, end - chunk.Length);
                var count = RandomAccess.Read(handle, chunk.AsSpan(0, (int)(end - start)), start);
                var newline = chunk.AsSpan(0, count).LastIndexOf((byte)'\n');
                if (newline >= 0)
                {
                    return start + newline + 1;
                }

                end = start;
            }

            // No line break near the end: one unfinished line (from 0 when it is the whole file).
            return window == size ? 0 : size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
