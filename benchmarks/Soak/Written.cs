namespace Kinesis.Clients.Soak;

/// <summary>What was written: per producer key the sequence numbers used and those that failed for good; the agent's lines.</summary>
internal sealed class Written
{
    public Dictionary<string, (int Next, HashSet<int> Failed)> ProducerKeys { get; } = new(StringComparer.Ordinal);

    public long AgentLines { get; set; }

    /// <summary>Why producer records failed for good, <c>CODE=N,...</c>.</summary>
    public string FailureReasons { get; private set; } = "";

    public long ProducerAcknowledged => ProducerKeys.Values.Sum(k => (long)k.Next - k.Failed.Count);

    public long ProducerFailed => ProducerKeys.Values.Sum(k => (long)k.Failed.Count);

    /// <summary>Reads the producer's closing lines (<c>key K NEXT FAILED,...</c>).</summary>
    public void ReadProducerSummary(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var f = line.Split(' ');
            if (f[0] == "reasons")
            {
                FailureReasons = f.Length > 1 ? f[1] : "";
            }
            else if (f[0] == "key")
            {
                var failed = f.Length > 3 && f[3].Length > 0 ? f[3].Split(',').Select(int.Parse).ToHashSet() : [];
                ProducerKeys[f[1]] = (int.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), failed);
            }
        }
    }
}
