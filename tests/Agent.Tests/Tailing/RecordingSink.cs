using System.Text;
using Kinesis.Clients.Agent.Tailing;

namespace Kinesis.Clients.Agent.Tests.Tailing;

/// <summary>
/// Keeps every record it is given and acknowledges it at once, or holds it for the test to acknowledge (in any
/// order), or never. Checks that tickets of each file generation arrive as 0, 1, 2, ...
/// </summary>
internal sealed class RecordingSink : IRecordSink
{
    private readonly Lock _gate = new();
    private readonly List<SentRecord> _received = [];
    private readonly List<SentRecord> _held = [];
    private readonly Dictionary<int, long> _nextTicket = [];
    private readonly List<string> _ticketErrors = [];
    private int _hurried;

    /// <summary>Whether records are acknowledged as they arrive (otherwise they are held).</summary>
    public bool AcknowledgeImmediately { get; set; } = true;

    /// <summary>When set, every this many records the sink takes a millisecond: a reader lagging behind the writer.</summary>
    public int PauseEvery { get; set; }

    public IReadOnlyList<SentRecord> Received
    {
        get
        {
            lock (_gate)
            {
                return _received.ToList();
            }
        }
    }

    /// <summary>The records' exact text, line breaks included.</summary>
    public IReadOnlyList<string> Texts => Received.Select(r => r.Text).ToList();

    /// <summary>The records as lines: each must end in its '\n', which is removed (see <see cref="SentRecord.Line"/>).</summary>
    public IReadOnlyList<string> Lines => Received.Select(r => r.Line).ToList();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _received.Count;
            }
        }
    }

    public IReadOnlyList<string> TicketErrors
    {
        get
        {
            lock (_gate)
            {
                return _ticketErrors.ToList();
            }
        }
    }

    public IReadOnlyList<SentRecord> Held
    {
        get
        {
            lock (_gate)
            {
                return _held.ToList();
            }
        }
    }

    public async ValueTask WriteAsync(FramedRecords records, ITailedFile file, long firstTicket, CancellationToken cancellationToken)
    {
        // Copied first: the slices are the reader's buffer, valid only until this call's first wait.
        var texts = new string[records.Count];
        for (var k = 0; k < records.Count; k++)
        {
            texts[k] = Encoding.UTF8.GetString(records[k].Span);
        }

        for (var k = 0; k < texts.Length; k++)
        {
            await WriteOneAsync(texts[k], file, firstTicket + k, cancellationToken);
        }
    }

    private ValueTask WriteOneAsync(string text, ITailedFile file, long ticket, CancellationToken cancellationToken)
    {
        var received = new SentRecord(file, ticket, text);
        int count;
        lock (_gate)
        {
            var expected = _nextTicket.GetValueOrDefault(file.Id);
            if (ticket != expected)
            {
                _ticketErrors.Add($"{file.Path}#{file.Id}: ticket {ticket}, expected {expected}");
            }

            _nextTicket[file.Id] = ticket + 1;
            _received.Add(received);
            count = _received.Count;
            if (!AcknowledgeImmediately)
            {
                _held.Add(received);
            }
        }

        if (AcknowledgeImmediately)
        {
            file.Acknowledge(ticket);
        }

        return PauseEvery > 0 && count % PauseEvery == 0 ? new ValueTask(Task.Delay(1, cancellationToken)) : ValueTask.CompletedTask;
    }

    /// <summary>Counts the calls: this sink holds nothing back, so there is nothing to send sooner.</summary>
    public void Hurry() => Interlocked.Increment(ref _hurried);

    public int Hurried => Volatile.Read(ref _hurried);

    /// <summary>Acknowledges the held records the predicate picks, in the order given.</summary>
    public void Acknowledge(Func<SentRecord, bool> which)
    {
        List<SentRecord> picked;
        lock (_gate)
        {
            picked = _held.Where(which).ToList();
            _held.RemoveAll(r => picked.Contains(r));
        }

        foreach (var record in picked)
        {
            record.File.Acknowledge(record.Ticket);
        }
    }

    public void AcknowledgeAll() => Acknowledge(_ => true);

    internal sealed record SentRecord(ITailedFile File, long Ticket, string Text)
    {
        /// <summary>The text without its final '\n'; a record without one shows as such and fails comparisons.</summary>
        public string Line => Text.EndsWith('\n') ? Text[..^1] : Text + " <no line break>";
    }
}
