using System.Globalization;
using System.Text;

namespace Kinesis.Clients.Soak;

/// <summary>
/// Reads the workers' delivery logs as they grow (<see cref="DeliveryLog"/>) and keeps what the verdict needs: per
/// record how often and where it was delivered first, every redelivery of a stream position already delivered,
/// every further copy of a record at a new stream position, and order breaks inside one processor.
/// </summary>
internal sealed class DeliveryLedger(string directory)
{
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _shards = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _processorIds = new(StringComparer.Ordinal);
    private readonly Dictionary<(RecordTable, int), List<(int Position, int Shard, int Processor)>> _morePositions = [];

    public Dictionary<string, RecordTable> ProducerKeys { get; } = new(StringComparer.Ordinal);

    public RecordTable AgentLines { get; } = new();

    public List<ProcessorState> Processors { get; } = [];

    public List<string> ShardNames { get; } = [];

    /// <summary>Earliest and latest delivery per shard index (monotonic ns).</summary>
    public Dictionary<int, (long First, long Last)> ShardSpans { get; } = [];

    public long Deliveries { get; private set; }

    public long UnknownRecords { get; private set; }

    /// <summary>A stream position delivered again: a processor that delivered it before, the position, and the one delivering it again.</summary>
    public List<(int FirstProcessor, string Sequence, long SubSequence, int Again, long Mono)> Redeliveries { get; } = [];

    /// <summary>A record met at a second (third...) stream position: written more than once.</summary>
    public List<(string Source, long WrittenUnixMs, bool OtherShard)> StreamCopies { get; } = [];

    /// <summary>Deliveries inside one processor whose position was not after the one before.</summary>
    public List<string> ProcessorOrderBreaks { get; } = [];

    public int ShardIndex(string shard)
    {
        if (!_shards.TryGetValue(shard, out var index))
        {
            index = _shards[shard] = ShardNames.Count;
            ShardNames.Add(shard);
        }

        return index;
    }

    /// <summary>Whether the record has been met at stream positions on more than one shard.</summary>
    public bool OnSeveralShards(RecordTable table, int seq) =>
        _morePositions.TryGetValue((table, seq), out var more) && more.Any(p => p.Shard != table.FirstShard[seq]);

    /// <summary>Reads what the logs gained since the last call (whole lines only).</summary>
    public void Poll()
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.log").Order(StringComparer.Ordinal))
        {
            var offset = _offsets.GetValueOrDefault(file);
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (stream.Length <= offset)
            {
                continue;
            }

            stream.Position = offset;
            var bytes = new byte[stream.Length - offset];
            stream.ReadExactly(bytes);
            var end = Array.LastIndexOf(bytes, (byte)'\n');
            if (end < 0)
            {
                continue;
            }

            foreach (var line in Encoding.ASCII.GetString(bytes, 0, end).Split('\n'))
            {
                if (line.Length > 0)
                {
                    Read(line);
                }
            }

            _offsets[file] = offset + end + 1;
        }
    }

    private void Read(string line)
    {
        var f = line.Split(' ');
        switch (f[0])
        {
            case "I":
                Processor(f[1], ShardIndex(f[2]));
                break;
            case "D":
                Delivered(f);
                break;
            case "C":
                var p = Processors[Processor(f[1], -1)];
                p.CheckpointSequence = f[2];
                p.CheckpointSubSequence = long.Parse(f[3], CultureInfo.InvariantCulture);
                break;
            case "F":
                // A batch failed and comes again: the retry starts after the last checkpoint, not after the last delivery.
                var failed = Processors[Processor(f[1], -1)];
                failed.RetriedSequence = f[2];
                failed.RetriedSubSequence = long.Parse(f[3], CultureInfo.InvariantCulture);
                failed.LastSequence = failed.CheckpointSequence;
                failed.LastSubSequence = failed.CheckpointSubSequence;
                break;
            case "E" or "L" or "S":
                var ended = Processors[Processor(f[1], -1)];
                ended.End = f[0][0];
                ended.EndMono = f[0] == "E" ? long.Parse(f[2], CultureInfo.InvariantCulture) : 0;
                break;
        }
    }

    private int Processor(string name, int shard)
    {
        if (!_processorIds.TryGetValue(name, out var id))
        {
            id = _processorIds[name] = Processors.Count;
            Processors.Add(new ProcessorState(name, shard));
        }
        else if (shard >= 0)
        {
            Processors[id].Shard = shard;
        }

        return id;
    }

    // D proc shard seq subseq mono unixms key head
    private void Delivered(string[] f)
    {
        Deliveries++;
        var processor = Processors[Processor(f[1], ShardIndex(f[2]))];
        var processorId = _processorIds[f[1]];
        var shard = ShardIndex(f[2]);
        var sequence = f[3];
        var sub = long.Parse(f[4], CultureInfo.InvariantCulture);
        var mono = long.Parse(f[5], CultureInfo.InvariantCulture);
        var received = long.Parse(f[6], CultureInfo.InvariantCulture);
        var head = f[8].Split(':');

        if (processor.LastSequence is { } last && SequenceNumbers.Compare(sequence, sub, last, processor.LastSubSequence) <= 0)
        {
            ProcessorOrderBreaks.Add($"{processor.Name} on {f[2]}: {sequence}/{sub} after {last}/{processor.LastSubSequence}");
        }

        processor.LastSequence = sequence;
        processor.LastSubSequence = sub;
        ShardSpans[shard] = ShardSpans.TryGetValue(shard, out var span) ? (Math.Min(span.First, mono), Math.Max(span.Last, mono)) : (mono, mono);

        RecordTable table;
        int seq;
        var generation = 0;
        if (head.Length == 4 && head[0] == "p")
        {
            if (!ProducerKeys.TryGetValue(head[1], out table!))
            {
                table = ProducerKeys[head[1]] = new RecordTable();
            }

            seq = int.Parse(head[2], CultureInfo.InvariantCulture);
        }
        else if (head.Length == 4 && head[0] == "a")
        {
            table = AgentLines;
            generation = int.Parse(head[1], CultureInfo.InvariantCulture);
            seq = int.Parse(head[2], CultureInfo.InvariantCulture);
        }
        else
        {
            UnknownRecords++;
            return;
        }

        var written = long.Parse(head[3], CultureInfo.InvariantCulture);
        var position = HashCode.Combine(shard, sequence, sub);
        table.EnsureLength(seq + 1);
        if (table.Deliveries[seq]++ == 0)
        {
            table.FirstMono[seq] = mono;
            table.FirstPosition[seq] = position;
            table.FirstShard[seq] = shard;
            table.FirstProcessor[seq] = processorId;
            table.FirstKey[seq] = Key(f[7]);
            table.Generation[seq] = generation;
            table.WrittenUnixMs[seq] = written;
            table.LatencyMs[seq] = (int)Math.Clamp(received - written, 0, int.MaxValue);
            return;
        }

        if (mono < table.FirstMono[seq])
        {
            // Logs are read file by file: the earliest delivery by the shared clock is the first one.
            table.FirstMono[seq] = mono;
            table.FirstKey[seq] = Key(f[7]);
            table.LatencyMs[seq] = (int)Math.Clamp(received - written, 0, int.MaxValue);
        }

        if (table.FirstPosition[seq] == position)
        {
            Redeliveries.Add((table.FirstProcessor[seq], sequence, sub, processorId, mono));
            return;
        }

        if (!_morePositions.TryGetValue((table, seq), out var more))
        {
            more = _morePositions[(table, seq)] = [];
        }

        foreach (var known in more)
        {
            if (known.Position == position)
            {
                Redeliveries.Add((known.Processor, sequence, sub, processorId, mono));
                return;
            }
        }

        more.Add((position, shard, processorId));
        StreamCopies.Add((table == AgentLines ? "agent" : "producer", written, shard != table.FirstShard[seq]));
    }

    private int Key(string key)
    {
        if (!_keys.TryGetValue(key, out var index))
        {
            index = _keys[key] = _keys.Count;
        }

        return index;
    }
}
