using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// One shard's checkpointer: checks a position against what was delivered and what is already checkpointed,
/// then writes it through the lease coordinator, whose write is fenced on the lease counter.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The gate has no wait handle unless one is asked for; nothing to free.")]
internal sealed class Checkpointer : ICheckpointer
{
    private readonly LeaseCoordinator _leases;
    private readonly string _leaseKey;
    private readonly Action _onLeaseLost;
    private readonly Func<bool> _isLeaseLost;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ExtendedSequenceNumber _checkpoint;
    private ExtendedSequenceNumber? _lastDelivered;

    public Checkpointer(LeaseCoordinator leases, string leaseKey, ExtendedSequenceNumber checkpoint, Action onLeaseLost, Func<bool> isLeaseLost)
    {
        _isLeaseLost = isLeaseLost;
        _leases = leases;
        _leaseKey = leaseKey;
        _checkpoint = checkpoint;
        _onLeaseLost = onLeaseLost;
    }

    /// <summary>The last checkpoint written (or the one the lease started with).</summary>
    /// <summary>Told of every checkpoint write: whether it reached the lease table, and how long it took.</summary>
    public Action<bool, TimeSpan>? OnWrite { get; init; }

    /// <summary>The clock the writes are timed by.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public ExtendedSequenceNumber Current => _checkpoint;

    /// <summary>Whether the shard's end has been checkpointed.</summary>
    public bool AtShardEnd => _checkpoint.IsShardEnd;

    /// <summary>The last record handed to the processor; a checkpoint may not pass it.</summary>
    public void Delivered(ConsumerRecord last) => _lastDelivered = new ExtendedSequenceNumber(last.SequenceNumber, last.SubSequenceNumber);

    /// <summary>
    /// Takes back the delivery of records the processor failed on and that were not handed off, so that a checkpoint
    /// at shutdown cannot pass them: the last record delivered is again <paramref name="lastDealtWith"/>.
    /// </summary>
    public void Undeliver(ExtendedSequenceNumber? lastDealtWith) => _lastDelivered = lastDealtWith;

    /// <summary>Every record of the shard has been delivered: the end of the shard may be checkpointed.</summary>
    public void DeliveredShardEnd() => _lastDelivered = ExtendedSequenceNumber.ShardEnd;

    public Task CheckpointAsync(CancellationToken cancellationToken = default) =>
        _lastDelivered is { } last
            ? WriteAsync(last, prepare: false, null, cancellationToken)
            : throw new InvalidOperationException($"No record of {_leaseKey} has been delivered yet, so there is nothing to checkpoint.");

    public Task CheckpointAsync(string sequenceNumber, long subSequenceNumber = 0, CancellationToken cancellationToken = default) =>
        WriteAsync(Parse(sequenceNumber, subSequenceNumber), prepare: false, null, cancellationToken);

    public Task CheckpointAsync(ConsumerRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return WriteAsync(new ExtendedSequenceNumber(record.SequenceNumber, record.SubSequenceNumber), prepare: false, null, cancellationToken);
    }

    public Task PrepareCheckpointAsync(string sequenceNumber, long subSequenceNumber = 0, byte[]? applicationState = null, CancellationToken cancellationToken = default) =>
        WriteAsync(Parse(sequenceNumber, subSequenceNumber), prepare: true, applicationState, cancellationToken);

    private static ExtendedSequenceNumber Parse(string sequenceNumber, long subSequenceNumber)
    {
        ArgumentException.ThrowIfNullOrEmpty(sequenceNumber);
        ArgumentOutOfRangeException.ThrowIfNegative(subSequenceNumber);
        if (!sequenceNumber.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"A checkpoint is a record's sequence number (digits); got '{sequenceNumber}'.", nameof(sequenceNumber));
        }

        return new ExtendedSequenceNumber(sequenceNumber, subSequenceNumber);
    }

    private async Task WriteAsync(ExtendedSequenceNumber position, bool prepare, byte[]? state, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_lastDelivered is not { } last || position > last)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(position),
                    position.ToString(),
                    $"A checkpoint of {_leaseKey} may not pass the last record delivered ({(_lastDelivered?.ToString() ?? "none yet")}).");
            }

            if (position < _checkpoint)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(position),
                    position.ToString(),
                    $"A checkpoint of {_leaseKey} may not move backwards from {_checkpoint}.");
            }

            // The coordinator fences on the lease it holds now, which may be a later take of the same shard by
            // this worker; a processor of the lost tenure must not write through it (it could move the
            // checkpoint back past what the new processor has checkpointed).
            if (_isLeaseLost())
            {
                throw new LeaseLostException(_leaseKey, "this processor's lease was lost; the shard may have been taken again since, by another processor");
            }

            var writingAt = Time.GetTimestamp();
            var answered = false;
            bool written;
            try
            {
                written = prepare
                    ? await _leases.TryPrepareCheckpointAsync(_leaseKey, position, state, cancellationToken).ConfigureAwait(false)
                    : await _leases.TryCheckpointAsync(_leaseKey, position, cancellationToken).ConfigureAwait(false);
                answered = true;
            }
            finally
            {
                OnWrite?.Invoke(answered, Time.GetElapsedTime(writingAt));
            }

            if (!written)
            {
                _onLeaseLost();
                throw new LeaseLostException(_leaseKey, "the conditional write was refused; another worker holds the lease, or this worker's clock says it expired");
            }

            if (!prepare)
            {
                _checkpoint = position;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
