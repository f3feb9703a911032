namespace Kinesis.Clients.Soak;

/// <summary>One record processor (one shard, one lease hold, in one worker incarnation) as its log lines describe it.</summary>
internal sealed class ProcessorState(string name, int shard)
{
    public string Name { get; } = name;

    /// <summary>The worker incarnation it ran in (its name before the dot).</summary>
    public string Worker { get; } = name[..name.IndexOf('.', StringComparison.Ordinal)];

    public int Shard { get; set; } = shard;

    public string? LastSequence { get; set; }

    public long LastSubSequence { get; set; }

    public string? CheckpointSequence { get; set; }

    /// <summary>
    /// The last record of the latest batch whose processing threw (a failed checkpoint): the consumer gives the
    /// records of it not checkpointed to this processor again. Null while none failed.
    /// </summary>
    public string? RetriedSequence { get; set; }

    public long RetriedSubSequence { get; set; }

    public long CheckpointSubSequence { get; set; }

    /// <summary>How it ended: <c>E</c> shard end, <c>L</c> lease lost, <c>S</c> shut down, or null (running or killed).</summary>
    public char? End { get; set; }

    /// <summary>When it ended with <c>E</c> (monotonic ns).</summary>
    public long EndMono { get; set; }
}
