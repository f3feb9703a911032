using Kinesis.Clients.Producer.Buffering;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// The user records of one aggregate that nobody watches one by one: put with
/// <see cref="KinesisProducer.EnqueueAsync(string, string, ReadOnlyMemory{byte}, string?, CancellationToken)"/>, no
/// observer, no earlier attempt. Once such a record is in an aggregate its key and data are in the aggregate's bytes,
/// so it is kept only as a count here: its buffer room and flush epoch are given back with the aggregate's, and
/// its <see cref="UserRecord"/> and data copy are garbage at once instead of living until the acknowledgement
/// (with a full buffer, each GC copied some 50 MB of them). When the records must leave the aggregate unsent or be
/// reported failed, <see cref="KinesisRecordItem"/> decodes them from its bytes into user records again.
/// </summary>
/// <remarks>
/// Only plain aggregates hold them (no compression, no encryption): those are the only ones whose bytes still read
/// as the records when something goes wrong.
/// </remarks>
internal sealed class UnobservedRecords
{
    private readonly List<(FlushEpoch Epoch, int Count)> _epochs = new(1);
    private int _taken;

    public UnobservedRecords(UserRecord first)
    {
        Stream = first.Stream;
        First = first;
    }

    public StreamContext Stream { get; }

    /// <summary>The first record counted: what a Kinesis record of that one record alone sends as it is.</summary>
    public UserRecord First { get; }

    /// <summary>How many records are counted.</summary>
    public int Count { get; private set; }

    /// <summary>Their buffer room: data plus partition key bytes, as admitted.</summary>
    public long Bytes { get; private set; }

    /// <summary>Counts a record just written into the aggregate: its buffer room (<paramref name="size"/>) and flush epoch.</summary>
    public void Add(int size, FlushEpoch epoch)
    {
        Count++;
        Bytes += size;
        var last = _epochs.Count - 1;
        if (last >= 0 && ReferenceEquals(_epochs[last].Epoch, epoch))
        {
            _epochs[last] = (epoch, _epochs[last].Count + 1);
        }
        else
        {
            _epochs.Add((epoch, 1));
        }
    }

    /// <summary>
    /// Takes the records over, once: whoever gets <see langword="true"/> completes them (stored, or turned back into
    /// user records); every later call gets <see langword="false"/>.
    /// </summary>
    public bool TryTake() => Interlocked.Exchange(ref _taken, 1) == 0;

    /// <summary>Whether the records were taken over (<see cref="TryTake"/>).</summary>
    public bool IsTaken => Volatile.Read(ref _taken) != 0;

    /// <summary>The flush epoch of the <paramref name="index"/>-th record counted.</summary>
    public FlushEpoch EpochOf(int index)
    {
        foreach (var (epoch, count) in _epochs)
        {
            if (index < count)
            {
                return epoch;
            }

            index -= count;
        }

        throw new ArgumentOutOfRangeException(nameof(index), $"{Count} records are counted.");
    }

    /// <summary>Gives the records' buffer room back and counts them out of their flush epochs (they were stored).</summary>
    public void Release()
    {
        Stream.Producer.Admission.Release(Bytes, Count);
        foreach (var (epoch, count) in _epochs)
        {
            epoch.Exit(count);
        }
    }
}
