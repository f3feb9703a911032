using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Pipeline;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Buffering;

/// <summary>
/// Lets records into the producer: validates them, finds their hash keys (through the key cache), and takes
/// their room in the <see cref="BufferBudget"/> (MaxBufferedBytes, MaxBufferedRecords), refusing with
/// <see cref="ProducerBufferFullException"/> under FailWhenBufferFull or else making callers wait, first come
/// first served. Records completed give their room back here.
/// </summary>
internal sealed class RecordAdmission
{
    private readonly KinesisProducerOptions _options;
    private readonly BufferBudget _budget;
    private readonly PartitionKeyCache _keys = new();

    // With encryption a record must leave room for the envelope's header and tag within the Kinesis record limit.
    private readonly int _maxUserRecordSize;

    public RecordAdmission(KinesisProducerOptions options)
    {
        _options = options;
        _maxUserRecordSize = options.MaxUserRecordSize - (options.Encryption?.MaxOverhead() ?? 0);
        _budget = new BufferBudget(options.MaxBufferedBytes, options.MaxBufferedRecords);
    }

    /// <summary>User records (a run counting as one) admitted and not yet completed.</summary>
    public long Records => _budget.Records;

    /// <summary>Bytes (data plus partition keys) of <see cref="Records"/>.</summary>
    public long Bytes => _budget.Bytes;

    /// <summary>Validates the record and takes its buffer room if there is some now.</summary>
    /// <returns><see langword="false"/> when the caller must wait for room (<see cref="WaitAsync"/>).</returns>
    /// <remarks>
    /// With runSize, a run already checked to fit an aggregate: the single-record size limit does not apply. With
    /// knownStream, a stream name already admitted (so valid).
    /// </remarks>
    public bool TryAdmit(string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, out int size, out HashKey hashKey, bool runSize = false, bool knownStream = false)
    {
        if (!knownStream)
        {
            RecordValidation.ValidateStreamName(streamName, nameof(streamName));
        }

        ArgumentNullException.ThrowIfNull(partitionKey);
        int keyBytes;
        if (explicitHashKey is not null || !_keys.TryGet(partitionKey, out hashKey, out keyBytes))
        {
            RecordValidation.ValidatePartitionKey(partitionKey, nameof(partitionKey));
            RecordValidation.ValidateExplicitHashKey(explicitHashKey, nameof(explicitHashKey));
            keyBytes = Encoding.UTF8.GetByteCount(partitionKey);
            if (explicitHashKey is null)
            {
                hashKey = HashKey.FromPartitionKey(partitionKey);
                _keys.Add(partitionKey, hashKey, keyBytes);
            }
            else
            {
                hashKey = HashKey.Parse(explicitHashKey);
            }
        }

        if (!runSize && (long)data.Length + keyBytes > _maxUserRecordSize)
        {
            // Throws, with the message naming both sizes.
            RecordValidation.ValidateRecordSize(partitionKey, data.Length, _maxUserRecordSize, nameof(data));
        }

        size = data.Length + keyBytes;
        if (_budget.TryAcquire(size))
        {
            return true;
        }

        if (_options.FailWhenBufferFull)
        {
            throw new ProducerBufferFullException(
                $"The producer's buffer is full ({_budget.Records} records, {_budget.Bytes} of {_options.MaxBufferedBytes} bytes; record of {size} bytes for stream {streamName}).");
        }

        return false;
    }

    /// <summary>Waits, behind earlier waiters, until <paramref name="size"/> bytes and one record fit, and takes them.</summary>
    public ValueTask WaitAsync(int size, CancellationToken cancellationToken) => _budget.AcquireAsync(size, cancellationToken);

    /// <summary>Gives back the room of completed records, admitting waiting callers that now fit.</summary>
    public void Release(long bytes, long records) => _budget.Release(bytes, records);

    /// <summary>The hash key of an admitted (so valid) record, from the key cache when it is there.</summary>
    public HashKey HashKeyOf(string partitionKey, string? explicitHashKey) =>
        explicitHashKey is not null ? HashKey.Parse(explicitHashKey)
        : _keys.TryGet(partitionKey, out var hashKey, out _) ? hashKey
        : HashKey.FromPartitionKey(partitionKey);

    /// <summary>Validates a run's shape; returns its lengths copied, or <see langword="null"/> for a run of one record.</summary>
    public int[]? CheckRun(string partitionKey, ReadOnlyMemory<byte> data, ReadOnlySpan<int> recordLengths)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        if (!_options.AggregationEnabled)
        {
            throw new InvalidOperationException("EnqueueRunAsync needs AggregationEnabled: a run travels inside one KPL aggregate.");
        }

        if (recordLengths.IsEmpty)
        {
            throw new ArgumentException("A run needs at least one record length.", nameof(recordLengths));
        }

        if (recordLengths.Length > _options.AggregationMaxCount)
        {
            throw new ArgumentException(
                $"The run has {recordLengths.Length} records; AggregationMaxCount is {_options.AggregationMaxCount}.", nameof(recordLengths));
        }

        long sum = 0;
        foreach (var length in recordLengths)
        {
            if (length < 0)
            {
                throw new ArgumentException($"Record lengths must not be negative; found {length}.", nameof(recordLengths));
            }

            sum += length;
        }

        if (sum != data.Length)
        {
            throw new ArgumentException($"The record lengths add up to {sum} bytes but the data has {data.Length}.", nameof(recordLengths));
        }

        var encoded = AggregateBuilder.SizeOfRun(partitionKey, null, recordLengths);
        if (recordLengths.Length > 1 && encoded > _options.AggregationMaxSize)
        {
            throw new ArgumentException(
                $"The run of {recordLengths.Length} records ({data.Length} bytes of data) takes {encoded} bytes as an aggregate; AggregationMaxSize is {_options.AggregationMaxSize}.",
                nameof(data));
        }

        return recordLengths.Length == 1 ? null : recordLengths.ToArray();
    }
}
