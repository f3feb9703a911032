using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Kinesis.Clients.Soak;

/// <summary>
/// A worker's record of what its processors saw, one line per event, written through to the kernel before each
/// checkpoint: a SIGKILL loses nothing the worker checkpointed past. Lines (space-separated):
/// <c>I proc shard mono</c> processor started; <c>D proc shard seq subseq mono unixms key head</c> a record
/// delivered; <c>C proc seq subseq</c> checkpointed there; <c>E proc mono</c> shard ended (checkpointed);
/// <c>L proc</c> lease lost; <c>S proc</c> shut down; <c>F proc seq subseq error</c> a batch ending there failed (its
/// checkpoint threw) and is given again. <c>mono</c> is the machine's monotonic clock in
/// nanoseconds (CLOCK_MONOTONIC, shared by every process), which orders events across workers.
/// </summary>
internal sealed class DeliveryLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;

    public DeliveryLog(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16), new UTF8Encoding(false), 1 << 16);
    }

    /// <summary>Nanoseconds on the monotonic clock that every process on the machine shares.</summary>
    public static long Mono() => (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));

    public void Write(string line)
    {
        lock (_gate)
        {
            _writer.Write(line);
            _writer.Write('\n');
        }
    }

    public void Write(StringBuilder lines)
    {
        lock (_gate)
        {
            _writer.Write(lines);
        }
    }

    /// <summary>Hands everything written so far to the kernel, where it survives the process being killed.</summary>
    public void Flush()
    {
        lock (_gate)
        {
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }
    }

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
