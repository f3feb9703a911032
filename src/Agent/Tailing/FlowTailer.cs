using System.Collections.Concurrent;
using Kinesis.Clients.Agent.Checkpoints;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// Tails every file of one flow concurrently (one read loop per file), hands each record to an
/// <see cref="IRecordSink"/> with consecutive tickets per file generation, and checkpoints each file only
/// past records every earlier one of which is acknowledged.
/// </summary>
/// <remarks>
/// Delivery is at least once: records handed to the sink but not acknowledged when the agent stops or dies
/// are read again after a restart. See <see cref="FileDiscovery"/> for how files are recognised across
/// rotation, truncation, copies and restarts.
/// </remarks>
internal sealed class FlowTailer : IAsyncDisposable
{
    private readonly TailingOptions _options;
    private readonly ICheckpointStore _checkpoints;
    private readonly IRecordSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ContentMemory _memory = new();
    private readonly OpenFileLimit _limit = new();
    private readonly ConcurrentDictionary<FileKey, TrackedFile> _tracked = new();
    private readonly ConcurrentDictionary<TrackedFile, byte> _closing = new();
    private readonly FileDiscovery _discovery;
    private readonly SemaphoreSlim _saveGate = new(1, 1);
    private readonly CancellationTokenSource _disposing = new();
    private readonly TimeSpan _refreshEvery;
    private CancellationToken _readToken;
    private Task? _run;
    private long _lastForget;
    private int _saveFailures;    // consecutive failed saves (under _saveGate)
    private long _failingSince;
    private int _disposed;
    private volatile bool _discovered;

    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public FlowTailer(TailingOptions options, ICheckpointStore checkpoints, IRecordSink sink, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(checkpoints);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.Validate() is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _checkpoints = checkpoints;
        _sink = sink;
        _time = timeProvider;
        _logger = logger;
        // Checkpoints of open files are rewritten at least this often, so only vanished files ever get forgotten.
        _refreshEvery = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, options.ForgetCheckpointsAfter.Ticks / 4));
        _discovery = new FileDiscovery(options, GlobPattern.Parse(options.FilePattern), _memory, _tracked, _limit, timeProvider, logger, StartReading);
    }

    /// <summary>
    /// Discovers and tails the flow's files until <paramref name="stoppingToken"/> is cancelled, then stops
    /// reading, saves checkpoints once more and returns. Can be called once.
    /// </summary>
    /// <exception cref="IOException">The checkpoint store cannot be read.</exception>
    public Task RunAsync(CancellationToken stoppingToken)
    {
        if (Interlocked.CompareExchange(ref _run, Task.CompletedTask, null) is not null)
        {
            throw new InvalidOperationException($"Flow {_options.FlowId} is already running or has run.");
        }

        // Off the caller's thread: the first pass reads the file system and a host awaits this from StartAsync.
        var run = Task.Run(() => RunCoreAsync(stoppingToken), CancellationToken.None);
        _run = run;
        return run;
    }

    /// <summary>
    /// Writes every file's acknowledged offset now. The host calls it after flushing the producer at shutdown;
    /// it also runs every <see cref="TailingOptions.CheckpointInterval"/>.
    /// </summary>
    public async Task SaveCheckpointsAsync(CancellationToken cancellationToken = default)
    {
        await _saveGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = _time.GetUtcNow();
            var timestamp = _time.GetTimestamp();
            var rows = new List<(TrackedFile File, FileCheckpoint Checkpoint)>();
            foreach (var file in _tracked.Values.Concat(_closing.Keys))
            {
                var generation = file.Generation;
                var head = generation.Head;
                var offset = generation.DurableOffset();
                var path = file.CurrentPath;
                var saved = file.Saved;
                if (offset != saved.Offset || path != saved.Path || head.Length != saved.HeadLength || _time.GetElapsedTime(saved.Timestamp, timestamp) >= _refreshEvery)
                {
                    rows.Add((file, new FileCheckpoint(_options.FlowId, file.Key.Device, file.Key.Inode, head.Hash, head.Length, path, offset, now)));
                }
            }

            if (rows.Count > 0)
            {
                try
                {
                    await _checkpoints.SaveAsync(rows.ConvertAll(r => r.Checkpoint), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Once per outage, not every interval: a full disk fails every save until space is freed.
                    if (_saveFailures++ == 0)
                    {
                        _failingSince = timestamp;
                        TailingLog.SaveFailed(_logger, rows.Count, _options.FlowId, _options.CheckpointInterval, e);
                    }

                    throw;
                }

                if (_saveFailures > 0)
                {
                    var outage = _time.GetElapsedTime(_failingSince, timestamp);
                    TailingLog.SavedAgain(_logger, rows.Count, _options.FlowId, _saveFailures, outage);
                    _saveFailures = 0;
                }

                foreach (var (file, checkpoint) in rows)
                {
                    file.Saved = (checkpoint.Offset, checkpoint.Path, checkpoint.FingerprintLength, timestamp);
                }
            }

            // A closed file stays until its last record is acknowledged and that offset is saved.
            foreach (var file in _closing.Keys)
            {
                var generation = file.Generation;
                if (generation.Tracker.Snapshot().Outstanding == 0 && file.Saved.Offset == generation.DurableOffset())
                {
                    _closing.TryRemove(file, out _);
                }
            }

            if (_discovered && (_lastForget == 0 || _time.GetElapsedTime(_lastForget, timestamp) >= _refreshEvery))
            {
                _lastForget = timestamp;
                await ForgetAsync(now, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _saveGate.Release();
        }
    }

    /// <summary>Where each open file stands, for metrics.</summary>
    public IReadOnlyList<FileProgress> Progress() => _tracked.Values.Select(f => f.Progress()).ToList();

    /// <summary>Device and inode of each open file (for tests).</summary>
    internal IReadOnlyCollection<FileKey> TrackedKeys() => _tracked.Keys.ToList();

    /// <summary>Stops reading (as cancelling <see cref="RunAsync"/> does) and waits for it to return.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);

        if (_run is { } run)
        {
            try
            {
                await run.ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // RunAsync's caller has seen it.
            }
        }

        _disposing.Dispose();
    }

    private async Task RunCoreAsync(CancellationToken stoppingToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _disposing.Token);
        var cancellationToken = linked.Token;
        _readToken = cancellationToken;
        Task? checkpointing = null;
        try
        {
            var checkpoints = await _checkpoints.LoadAsync(_options.FlowId, cancellationToken).ConfigureAwait(false);
            var now = _time.GetTimestamp();
            foreach (var checkpoint in checkpoints)
            {
                _memory.Remember(checkpoint, now);
            }

            // END_OF_FILE applies only to a flow that has never checkpointed anything: after a restart, files
            // that appeared while the agent was down are read from their start.
            var firstStart = checkpoints.Count == 0;
            TailingLog.FlowStarting(_logger, _options.FlowId, _options.FilePattern, checkpoints.Count, firstStart ? ", first start" : "");
            Discover(firstStart && _options.StartAtEndOfFile, cancellationToken);
            _discovered = true;
            checkpointing = CheckpointLoopAsync(cancellationToken);

            using var timer = new PeriodicTimer(_options.DiscoveryInterval, _time);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Discover(startAtEnd: false, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            var loops = _tracked.Values.Concat(_closing.Keys).Select(f => f.ReadLoop).OfType<Task>().ToList();
            await Task.WhenAll(loops).ConfigureAwait(false); // they end on the same token and never throw
            if (checkpointing is not null)
            {
                await checkpointing.ConfigureAwait(false);
            }

            if (_discovered)
            {
                try
                {
                    await SaveCheckpointsAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException)
                {
                    // Logged by SaveCheckpointsAsync; the records are re-read after a restart.
                }
            }
        }
    }

    private void Discover(bool startAtEnd, CancellationToken cancellationToken)
    {
        try
        {
            _discovery.RunPass(startAtEnd, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A pass that fails (a directory vanishing mid-walk, EIO) is simply retried at the next interval.
            TailingLog.DiscoveryFailed(_logger, _options.FilePattern, e);
        }
    }

    private async Task CheckpointLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.CheckpointInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await SaveCheckpointsAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Logged by SaveCheckpointsAsync; the next interval tries again.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; RunAsync saves once more.
        }
    }

    private async Task ForgetAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await _checkpoints.ForgetAsync(_options.FlowId, now - _options.ForgetCheckpointsAfter, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            TailingLog.ForgetFailed(_logger, _options.FlowId, e);
        }
    }

    private void StartReading(TrackedFile file)
    {
        var reader = new TailReader(file, _options, _sink, _memory, _limit, _time, _logger, OnReleased);
        var token = _readToken;
        file.ReadLoop = Task.Run(() => reader.RunAsync(token), CancellationToken.None);
    }

    private void OnReleased(TrackedFile file, long settled, bool idle)
    {
        // Remember before untracking, so a pass in between finds it either tracked or remembered.
        _memory.RememberClosed(file.Key, file.Generation, settled, _time.GetTimestamp(), idle ? settled : null);
        _closing.TryAdd(file, 0);
        _tracked.TryRemove(new KeyValuePair<FileKey, TrackedFile>(file.Key, file));
    }
}
