using System.Text;
using System.Text.RegularExpressions;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// Turns the bytes of one file generation into records, in place in one pooled buffer: lines split after each
/// '\n', header lines skipped, multi-line records grouped, over-long records cut. A record keeps its bytes as
/// the file has them, line break included (the Java agent's records end in their '\n', a CRLF line in "\r\n").
/// Pure logic, no I/O: the read loop fills <see cref="PrepareRead"/>, calls <see cref="Advance"/> and
/// <see cref="Frame"/>, and sends the batch before preparing the next read.
/// </summary>
/// <remarks>
/// A line without its '\n' is never sent while the file may still grow: the writer may be in the middle of it.
/// Only <see cref="FlushAll"/> (the file was rotated away or deleted and has gone quiet) sends it.
/// Line breaks inside a multi-line record stay as they are in the file, and so does its last one.
/// Memory: the buffer holds at most one record under construction plus one unfinished line, so it stays below
/// 2 x MaxRecordBytes + ReadBufferBytes in multi-line mode and MaxRecordBytes + ReadBufferBytes otherwise.
/// </remarks>
internal sealed class RecordFramer : IDisposable
{
    private const byte LineFeed = (byte)'\n';
    private const byte CarriageReturn = (byte)'\r';

    private readonly int _max;
    private readonly byte[] _terminator;
    private readonly Regex? _startPattern;
    private readonly Regex? _footerPattern;
    private readonly int _headerLines;
    private readonly ReadWindow _window;
    private readonly Utf8LineMatcher _matcher = new();

    private int _scan;              // where the search for the next '\n' resumes
    private int _lineStart;         // start of the line not yet complete
    private int _headerLinesLeft;

    // The record under construction: a multi-line group, or a cut line waiting for its '\n'.
    private bool _hasRecord;
    private int _recordStart;
    private int _recordEnd;         // end of its content (after its last '\n') while not cut
    private bool _cut;              // cut to _max bytes, terminator written; later bytes of it are dropped
    private bool _discardingLine;   // the current line is over-long: drop bytes up to its '\n'
    private bool _footerReached;    // a record matched fileFooterPattern: the rest of the file is not read

    public RecordFramer(TailingOptions options, long startOffset)
    {
        _max = options.MaxRecordBytes;
        _terminator = Encoding.UTF8.GetBytes(options.TruncatedRecordTerminator);
        _startPattern = options.MultiLineStartPattern;
        _footerPattern = options.FileFooterPattern;
        _headerLines = options.SkipHeaderLines;
        var held = _startPattern is null ? _max + 1 : (2 * _max) + 2;
        _window = new ReadWindow(options.ReadBufferBytes, held + options.ReadBufferBytes);
        Reset(startOffset);
    }

    /// <summary>The buffer records in the last batch point into.</summary>
    public byte[] Buffer => _window.Buffer;

    /// <summary>The file offset the next read starts at.</summary>
    public long ReadPosition => _window.ReadPosition;

    /// <summary>Every byte before this offset is in a framed record or was skipped (header lines).</summary>
    public long SettledOffset { get; private set; }

    /// <summary>Records cut to the maximum size so far.</summary>
    public long TruncatedRecords { get; private set; }

    /// <summary>Whether a multi-line record is waiting for its next start line (see <see cref="FlushGroup"/>).</summary>
    public bool HasPendingGroup => _startPattern is not null && _hasRecord && !_discardingLine && !_footerReached;

    /// <summary>
    /// Whether a record matched the footer pattern: it and every later byte of the file are passed over (settled,
    /// never framed), as the Java agent stops parsing a file at its footer.
    /// </summary>
    public bool FooterReached => _footerReached;

    /// <summary>
    /// A copy of the last bytes read (up to 32 KiB, ending at <see cref="ReadPosition"/>) and the offset they start
    /// at: after a truncation, what a copy of the old content is compared against.
    /// </summary>
    public byte[] RecentBytes(out long start) => _window.RecentBytes(out start);

    /// <summary>Starts over at <paramref name="offset"/>; header lines are skipped only when that is 0.</summary>
    public void Reset(long offset)
    {
        _scan = _lineStart = 0;
        _window.Reset(offset);
        SettledOffset = offset;
        _headerLinesLeft = offset == 0 ? _headerLines : 0;
        _hasRecord = _cut = _discardingLine = _footerReached = false;
    }

    /// <summary>Makes room and returns where the next read goes. Records of the previous batch become invalid.</summary>
    public Memory<byte> PrepareRead()
    {
        Compact();
        return _window.PrepareRead();
    }

    /// <summary>
    /// Gives the buffer back to the pool when nothing is pending in it: an idle file should not pin a read buffer
    /// (a host may tail hundreds of mostly idle files). The next <see cref="PrepareRead"/> rents one again.
    /// </summary>
    public void ReleaseBufferIfEmpty()
    {
        Compact();
        _window.ReleaseIfEmpty();
    }

    /// <summary>Takes <paramref name="count"/> bytes just read into the space <see cref="PrepareRead"/> returned.</summary>
    public void Advance(int count) => _window.Advance(count);

    /// <summary>Frames every record the bytes read so far complete.</summary>
    public void Frame(RecordBatch batch)
    {
        if (_footerReached)
        {
            PassOver();
            return;
        }

        if (_startPattern is null && _footerPattern is null && _headerLinesLeft == 0 && !_discardingLine)
        {
            FrameSingleLines(batch); // the hot path: one IndexOf and one Add per line
        }

        while (true)
        {
            var found = _window.Buffer.AsSpan(_scan, _window.Filled - _scan).IndexOf(LineFeed);
            if (found < 0)
            {
                _scan = _window.Filled;
                break;
            }

            var newline = _scan + found;
            _scan = newline + 1;
            if (_footerReached)
            {
                PassOver();
                return;
            }

            if (_discardingLine)
            {
                EndDiscardedLine(newline + 1, batch);
            }
            else
            {
                CompleteLine(_lineStart, newline, newline + 1, batch);
            }
        }

        if (_footerReached)
        {
            PassOver();
        }
        else if (!_discardingLine && _window.Filled - _lineStart > _max)
        {
            StartDiscarding(batch);
        }
    }

    /// <summary>Sends the pending multi-line record without waiting for the next start line (flush timeout).</summary>
    public void FlushGroup(RecordBatch batch)
    {
        if (HasPendingGroup)
        {
            EmitRecord(FileOffset(_lineStart), batch);
        }
    }

    /// <summary>
    /// Sends everything left, including a last line without '\n': for a file that will not grow any more.
    /// </summary>
    public void FlushAll(RecordBatch batch)
    {
        if (_footerReached)
        {
            PassOver();
            return;
        }

        if (_discardingLine)
        {
            EndDiscardedLine(_window.Filled, batch);
        }
        else if (_window.Filled > _lineStart)
        {
            CompleteLine(_lineStart, _window.Filled, _window.Filled, batch);
        }

        if (_hasRecord && !_discardingLine && !_footerReached)
        {
            EmitRecord(_window.ReadPosition, batch);
        }

        if (_footerReached)
        {
            PassOver();
        }
    }

    public void Dispose() => _window.Dispose();

    private void FrameSingleLines(RecordBatch batch)
    {
        var buffer = _window.Buffer;
        var scan = _scan;
        var lineStart = _lineStart;
        var filled = _window.Filled;
        var baseOffset = _window.ReadPosition - filled; // file offset of buffer position 0 (contiguous region)
        while (true)
        {
            var found = buffer.AsSpan(scan, filled - scan).IndexOf(LineFeed);
            if (found < 0)
            {
                scan = filled;
                break;
            }

            var newline = scan + found;
            var length = newline + 1 - lineStart;
            if (length > _max)
            {
                length = Cut(lineStart);
            }

            batch.Add(lineStart, length, baseOffset + newline + 1);
            lineStart = scan = newline + 1;
        }

        _scan = scan;
        if (lineStart != _lineStart)
        {
            _lineStart = lineStart;
            SettledOffset = baseOffset + lineStart;
        }
    }

    private void CompleteLine(int start, int end, int next, RecordBatch batch)
    {
        _lineStart = next;
        if (_headerLinesLeft > 0)
        {
            // Settle only after the last header line, so a checkpoint never lands inside the header.
            if (--_headerLinesLeft == 0)
            {
                SettledOffset = FileOffset(next);
            }

            return;
        }

        if (_startPattern is null)
        {
            var length = next - start;
            if (length > _max)
            {
                length = Cut(start);
            }

            if (!IsFooter(start, length))
            {
                batch.Add(start, length, FileOffset(next));
            }

            SettledOffset = FileOffset(next);
            return;
        }

        if (!_hasRecord || IsStartLine(start, end))
        {
            if (_hasRecord)
            {
                EmitRecord(FileOffset(start), batch);
            }

            _hasRecord = true;
            _cut = false;
            _recordStart = start;
        }

        if (!_cut)
        {
            _recordEnd = next;
            if (_recordEnd - _recordStart > _max)
            {
                Cut(_recordStart);
                _cut = true;
            }
        }
    }

    private void StartDiscarding(RecordBatch batch)
    {
        _discardingLine = true;
        if (_headerLinesLeft > 0)
        {
            return;
        }

        // Judged by its first bytes: the line cannot be held whole to match against.
        if (_startPattern is null || !_hasRecord || IsStartLine(_lineStart, _lineStart + _max))
        {
            if (_hasRecord)
            {
                EmitRecord(FileOffset(_lineStart), batch);
            }

            _hasRecord = true;
            _recordStart = _lineStart;
            Cut(_recordStart);
            _cut = true;
        }
        else if (!_cut)
        {
            Cut(_recordStart);
            _cut = true;
        }
    }

    private void EndDiscardedLine(int next, RecordBatch batch)
    {
        _discardingLine = false;
        _lineStart = next;
        if (_headerLinesLeft > 0)
        {
            if (--_headerLinesLeft == 0)
            {
                SettledOffset = FileOffset(next);
            }
        }
        else if (_startPattern is null)
        {
            EmitRecord(FileOffset(next), batch);
        }
    }

    private void EmitRecord(long endOffset, RecordBatch batch)
    {
        var length = _cut ? _max : _recordEnd - _recordStart;
        if (!IsFooter(_recordStart, length))
        {
            batch.Add(_recordStart, length, endOffset);
        }

        SettledOffset = endOffset;
        _hasRecord = false;
        _cut = false;
    }

    /// <summary>Writes the terminator so the record at <paramref name="start"/> is exactly the maximum size.</summary>
    private int Cut(int start)
    {
        _terminator.CopyTo(_window.Buffer.AsSpan(start + _max - _terminator.Length));
        TruncatedRecords++;
        return _max;
    }

    /// <summary>A line's length without its '\r' (before the '\n' at <paramref name="end"/>): what a start pattern sees.</summary>
    private int ContentLength(int start, int end) =>
        end > start && _window.Buffer[end - 1] == CarriageReturn ? end - start - 1 : end - start;

    private bool IsStartLine(int start, int end) =>
        _matcher.IsMatch(_startPattern!, _window.Buffer.AsSpan(start, ContentLength(start, Math.Min(end, _window.Filled))));

    /// <summary>Whether the record matches the footer pattern; if so the rest of the file is passed over.</summary>
    private bool IsFooter(int start, int length)
    {
        _footerReached = _footerPattern is not null && _matcher.IsMatch(_footerPattern, _window.Buffer.AsSpan(start, length), javaTrim: true);
        return _footerReached;
    }

    /// <summary>After the footer: everything read is settled and nothing more is framed.</summary>
    private void PassOver()
    {
        _hasRecord = _cut = _discardingLine = false;
        _lineStart = _scan = _window.Filled;
        SettledOffset = _window.ReadPosition;
    }

    private long FileOffset(int position) => _window.FileOffset(position);

    private void Compact()
    {
        // Keep the record under construction (only its first _max bytes once cut) and the unfinished line.
        var keepStart = _hasRecord ? _recordStart : _lineStart;
        var keepEnd = _hasRecord && _cut ? _recordStart + _max : _lineStart;
        var lineFrom = _discardingLine ? _window.Filled : _lineStart;
        var kept = _hasRecord ? keepEnd - keepStart : 0;
        _window.KeepOnly(keepStart, kept, lineFrom, _window.Filled - lineFrom);

        if (_hasRecord && !_cut)
        {
            _recordEnd -= keepStart;
        }

        _scan = kept + (_scan - lineFrom);
        _lineStart = kept;
        _recordStart = 0;
    }
}
