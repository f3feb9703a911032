using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// The read loop of one tracked file: reads through the open descriptor, frames records, hands them to the sink
/// with consecutive tickets, starts a new generation when the file is truncated or replaced in place, and
/// lets the file go once it is rotated away or deleted, read to its end and quiet.
/// </summary>
internal sealed class TailReader
{
    private readonly TrackedFile _file;
    private readonly TailingOptions _options;
    private readonly IRecordSink _sink;
    private readonly ContentMemory _memory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly OpenFileLimit _limit;
    private readonly Action<TrackedFile, long, bool> _onReleased;
    private readonly byte[] _headScratch = new byte[ContentHead.FullLength];

    public TailReader(TrackedFile file, TailingOptions options, IRecordSink sink, ContentMemory memory, OpenFileLimit limit, TimeProvider time, ILogger logger, Action<TrackedFile, long, bool> onReleased)
    {
        _limit = limit;
        _file = file;
        _options = options;
        _sink = sink;
        _memory = memory;
        _time = time;
        _logger = logger;
        _onReleased = onReleased;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var framer = new RecordFramer(_options, _file.Generation.StartOffset);
        var batch = new RecordBatch();
        var lastData = _time.GetTimestamp();
        var lastHeadCheck = lastData;
        var mayHaveMore = true;
        var headCheckDue = true;
        var released = false;
        var idle = false;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!mayHaveMore)
                {
                    var status = NativeFiles.Stat(_file.Handle, _file.OpenedPath);
                    if (status.Size < framer.ReadPosition)
                    {
                        StartOver(framer, "it shrank below the read offset");
                        _file.Size = status.Size;
                        mayHaveMore = true;
                        continue;
                    }

                    _file.Size = status.Size;
                    if (status.Size == framer.ReadPosition)
                    {
                        var quiet = _time.GetElapsedTime(lastData);
                        if (framer.HasPendingGroup && quiet >= _options.MultiLineFlushTimeout)
                        {
                            framer.FlushGroup(batch);
                            await SendAsync(framer, batch, 0, cancellationToken).ConfigureAwait(false);
                        }

                        // A writer may still append to a renamed or deleted file for a moment; wait for quiet.
                        if ((!_file.Reachable || status.Links == 0) && quiet >= _options.RotatedFileQuietPeriod)
                        {
                            framer.FlushAll(batch);
                            await SendAsync(framer, batch, 0, cancellationToken).ConfigureAwait(false);
                            released = true;
                            TailingLog.Released(_logger, _file.OpenedPath, _file.CurrentPath, framer.SettledOffset, status.Links == 0);
                            return;
                        }

                        // Every complete line framed and no record held back: closing loses nothing, the next
                        // pass opens the file again once it grows.
                        if (_file.Reachable && framer.SettledOffset == framer.ReadPosition && !framer.HasPendingGroup && _limit.TryMakeRoom())
                        {
                            released = idle = true;
                            TailingLog.ClosedIdle(_logger, _file.OpenedPath, framer.SettledOffset);
                            return;
                        }

                        framer.ReleaseBufferIfEmpty();
                        batch.Trim();
                        _file.Generation.Tracker.TrimIfIdle();
                        await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    headCheckDue = true; // grew after a pause: make sure it is still the same content
                }

                if (headCheckDue || _time.GetElapsedTime(lastHeadCheck) >= _options.PollInterval)
                {
                    headCheckDue = false;
                    lastHeadCheck = _time.GetTimestamp();
                    if (!HeadStillMatches())
                    {
                        StartOver(framer, "its first bytes changed");
                        continue;
                    }
                }

                var space = framer.PrepareRead();
                var read = RandomAccess.Read(_file.Handle, space.Span, framer.ReadPosition);
                if (read == 0)
                {
                    mayHaveMore = false;
                    continue;
                }

                framer.Advance(read);
                lastData = _time.GetTimestamp();
                framer.Frame(batch);
                await SendAsync(framer, batch, read, cancellationToken).ConfigureAwait(false);
                mayHaveMore = true;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: records already handed over keep their acknowledgements.
        }
#pragma warning disable CA1031 // one file's failure must not stop the flow; it is found again by the next pass
        catch (Exception e)
#pragma warning restore CA1031
        {
            TailingLog.ReadFailed(_logger, _file.OpenedPath, e);
            released = true;
        }
        finally
        {
            _file.Handle.Dispose();
            if (released)
            {
                _onReleased(_file, framer.SettledOffset, idle);
            }
        }
    }

    private async ValueTask SendAsync(RecordFramer framer, RecordBatch batch, int bytesRead, CancellationToken cancellationToken)
    {
        var generation = _file.Generation;
        var buffer = framer.Buffer;
        var sent = 0;
        while (sent < batch.Count)
        {
            var issued = generation.Tracker.TryIssue(batch.EndOffsets[sent..], out var firstTicket);
            if (issued == 0)
            {
                // Too many records of this file unacknowledged: the bounded ring is the back-pressure. What is
                // buffered goes now; waiting for the linger would only stall the file longer.
                _sink.Hurry();
                await generation.Tracker.WaitForSpaceAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            generation.SettledOffset = batch.EndOffset(sent + issued - 1);
            var write = _sink.WriteAsync(new FramedRecords(buffer, batch, sent, issued), generation, firstTicket, cancellationToken);
            sent += issued;
            if (write.IsCompletedSuccessfully)
            {
                write.GetAwaiter().GetResult();
            }
            else
            {
                await write.ConfigureAwait(false);
            }
        }

        generation.SettledOffset = framer.SettledOffset;
        var cut = framer.TruncatedRecords - _file.TruncatedRecords;
        if (cut > 0)
        {
            TailingLog.RecordsCut(_logger, cut, _file.OpenedPath, _options.MaxRecordBytes, framer.TruncatedRecords);
        }

        _file.CountRead(batch.Count, bytesRead, cut);
        batch.Clear();
    }

    /// <summary>
    /// Whether the file still starts with the generation's head; extends a short head as the file grows. A
    /// file truncated and written again past our offset between two polls is caught here, not by its size.
    /// </summary>
    private bool HeadStillMatches()
    {
        var generation = _file.Generation;
        var head = generation.Head;
        var count = ContentHead.ReadPrefix(_file.Handle, _headScratch);
        var current = _headScratch.AsSpan(0, count);
        if (!head.IsPrefixOf(current))
        {
            return false;
        }

        if (count > head.Length)
        {
            generation.Head = new ContentHead(current);
        }

        return true;
    }

    private void StartOver(RecordFramer framer, string reason)
    {
        var old = _file.Generation;
        // Remember how far the old content was sent: its copy (copytruncate) continues from there.
        var window = framer.RecentBytes(out var windowStart);
        _memory.Retire(old, framer.SettledOffset, window, windowStart, _time.GetTimestamp());
        var head = ContentHead.Read(_file.Handle, _headScratch);
        var generation = new TailGeneration(old.FlowId, old.Path, 0, head, _options.MaxPendingRecordsPerFile, predecessor: null);
        TailingLog.Truncated(_logger, _file.OpenedPath, reason, framer.SettledOffset, old.Id, generation.Id);
        _file.Generation = generation;
        framer.Reset(0);
    }
}
