using System.Collections.Concurrent;
using Kinesis.Clients.Agent.Tailing;

namespace Kinesis.Clients.Agent.Tests.Shipping;

/// <summary>A file generation that records the acknowledgements it is given.</summary>
internal sealed class RecordingFile(string path) : ITailedFile
{
    private static int s_lastId;
    private readonly ConcurrentQueue<(long Ticket, int Count)> _acks = new();
    private long _acknowledged;

    public int Id { get; } = Interlocked.Increment(ref s_lastId);

    public string FlowId => "flow";

    public string Path => path;

    /// <summary>The next ticket and the offset the file has been read to, kept by the writer.</summary>
    public long NextTicket { get; set; }

    public long Offset { get; set; }

    public IReadOnlyList<(long Ticket, int Count)> Acks => [.. _acks];

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public void Acknowledge(long ticket, int count = 1)
    {
        _acks.Enqueue((ticket, count));
        Interlocked.Add(ref _acknowledged, count);
    }
}
