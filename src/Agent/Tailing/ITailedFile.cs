namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// One generation of one tailed file: the same device, inode and content fingerprint, read from one
/// starting offset. A truncation or copytruncate starts a new generation with new tickets.
/// </summary>
internal interface ITailedFile
{
    /// <summary>Unique within the process and never reused, so a sink can key per-file state on it.</summary>
    int Id { get; }

    /// <summary>The flow the file belongs to.</summary>
    string FlowId { get; }

    /// <summary>The path the file was found under (a rotated file keeps the name it was opened by).</summary>
    string Path { get; }

    /// <summary>
    /// Marks <paramref name="count"/> consecutive records from <paramref name="ticket"/> as safely stored.
    /// Thread-safe, any order, any thread; the checkpoint advances only past records whose every predecessor in
    /// the file is acknowledged too. Only the ticket's low 32 bits are read (see <see cref="AckTracker.Acknowledge"/>).
    /// </summary>
    void Acknowledge(long ticket, int count = 1);
}
