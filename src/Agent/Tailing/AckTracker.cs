namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// Maps the tickets of one file generation to the offsets their records end at, and advances the acknowledged
/// offset only over a contiguous prefix of acknowledged tickets. This is what keeps a checkpoint from passing
/// a record that is still being retried, the data loss of the Java agent's max-offset-wins checkpoints.
/// </summary>
/// <remarks>
/// A ring of end offsets plus a bitmap of acknowledgements that arrived out of order, under one small lock:
/// an acknowledgement is a few loads and stores, the ring grows by doubling up to its cap and is otherwise
/// reused, so memory is bounded by the records in flight.
/// </remarks>
internal sealed class AckTracker
{
    private const int InitialCapacity = 64;

    private readonly Lock _gate = new();
    private readonly int _maxCapacity;
    private long[] _ends = new long[InitialCapacity];
    private ulong[] _acked = new ulong[InitialCapacity / 64];
    private long _head;          // the first ticket not yet acknowledged
    private long _next;          // the next ticket to issue
    private long _ackedOffset;   // where the record before _head ends
    private TaskCompletionSource? _spaceWaiter;

    /// <param name="startOffset">Where the generation's reading started: the acknowledged offset before any ticket.</param>
    /// <param name="maxPending">Most tickets issued and not acknowledged; rounded up to a power of two.</param>
    public AckTracker(long startOffset, int maxPending)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPending, 1);
        _maxCapacity = Math.Max(InitialCapacity, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)maxPending));
        _ackedOffset = startOffset;
    }

    /// <summary>The offset every record before which is acknowledged.</summary>
    public long AcknowledgedOffset
    {
        get
        {
            lock (_gate)
            {
                return _ackedOffset;
            }
        }
    }

    /// <summary>The acknowledged offset and how many issued tickets are not acknowledged, read together.</summary>
    public (long AcknowledgedOffset, long Outstanding) Snapshot()
    {
        lock (_gate)
        {
            return (_ackedOffset, _next - _head);
        }
    }

    /// <summary>
    /// Issues consecutive tickets for records ending at <paramref name="endOffsets"/> (ascending), as many as fit.
    /// Returns how many were issued (0 when the ring is full: wait with <see cref="WaitForSpaceAsync"/>).
    /// </summary>
    public int TryIssue(ReadOnlySpan<long> endOffsets, out long firstTicket)
    {
        lock (_gate)
        {
            firstTicket = _next;
            var pending = _next - _head;
            var wanted = pending + endOffsets.Length;
            if (wanted > _ends.Length && _ends.Length < _maxCapacity)
            {
                Grow((int)Math.Min(_maxCapacity, (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)wanted)));
            }

            var count = (int)Math.Min((long)endOffsets.Length, _ends.Length - pending);
            var mask = _ends.Length - 1;
            for (var i = 0; i < count; i++)
            {
                _ends[(_next + i) & mask] = endOffsets[i];
            }

            _next += count;
            return count;
        }
    }

    /// <summary>Completes once at least one ticket can be issued.</summary>
    public Task WaitForSpaceAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_next - _head < _maxCapacity)
            {
                return Task.CompletedTask;
            }

            _spaceWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _spaceWaiter.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Marks <paramref name="count"/> consecutive tickets from <paramref name="firstTicket"/> acknowledged. Any
    /// order, any thread; repeated acknowledgements are ignored.
    /// </summary>
    /// <remarks>
    /// Only the low 32 bits of <paramref name="firstTicket"/> are read: outstanding tickets are never 2^31 apart
    /// (the ring is far smaller), so they name a ticket unambiguously, and a caller can carry a ticket in 32 bits
    /// of a wider token for as long as a file is read.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A ticket was never issued.</exception>
    public void Acknowledge(long firstTicket, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        TaskCompletionSource? waiter = null;
        lock (_gate)
        {
            var first = _head + (int)((uint)firstTicket - (uint)_head);
            var end = first + count;
            if (end <= _head)
            {
                return;
            }

            if (end > _next)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(firstTicket), firstTicket, $"Tickets {first} to {end - 1} were not all issued (next is {_next}).");
            }

            var mask = _ends.Length - 1;
            for (var ticket = Math.Max(first, _head + 1); ticket < end; ticket++)
            {
                var slot = ticket & mask;
                _acked[slot >> 6] |= 1UL << (int)(slot & 63);
            }

            if (first > _head)
            {
                return;
            }

            // The oldest outstanding record: move past it and past every later one acknowledged already.
            _ackedOffset = _ends[_head & mask];
            _head++;
            while (_head < _next)
            {
                var slot = _head & mask;
                var bit = 1UL << (int)(slot & 63);
                if ((_acked[slot >> 6] & bit) == 0)
                {
                    break;
                }

                _acked[slot >> 6] &= ~bit;
                _ackedOffset = _ends[slot];
                _head++;
            }

            // Wake a waiting reader only once a quarter of the ring is free: it then issues a batch, not one ticket.
            if (_spaceWaiter is not null && _maxCapacity - (_next - _head) >= _maxCapacity / 4)
            {
                waiter = _spaceWaiter;
                _spaceWaiter = null;
            }
        }

        waiter?.TrySetResult();
    }

    /// <summary>Shrinks the ring back to its initial size when nothing is outstanding (an idle file after a burst).</summary>
    public void TrimIfIdle()
    {
        lock (_gate)
        {
            if (_next == _head && _ends.Length > InitialCapacity)
            {
                _ends = new long[InitialCapacity];
                _acked = new ulong[InitialCapacity / 64];
            }
        }
    }

    private void Grow(int capacity)
    {
        var ends = new long[capacity];
        var acked = new ulong[capacity / 64];
        var oldMask = _ends.Length - 1;
        var newMask = capacity - 1;
        for (var t = _head; t < _next; t++)
        {
            var from = t & oldMask;
            var to = t & newMask;
            ends[to] = _ends[from];
            if ((_acked[from >> 6] & (1UL << (int)(from & 63))) != 0)
            {
                acked[to >> 6] |= 1UL << (int)(to & 63);
            }
        }

        _ends = ends;
        _acked = acked;
    }
}
