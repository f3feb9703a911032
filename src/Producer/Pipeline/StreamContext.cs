namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// One stream as its records see it: its name and the producer's shared context. A record completes through
/// this (buffer room back, out of its flush epoch, failure reported) without reaching its pipeline's loop.
/// </summary>
internal sealed class StreamContext
{
    public StreamContext(string streamName, ProducerContext producer)
    {
        StreamName = streamName;
        Producer = producer;
    }

    public string StreamName { get; }

    public ProducerContext Producer { get; }

    /// <summary>Encrypts this stream's Kinesis records before they are sent; <see langword="null"/> when encryption is off.</summary>
    public Kinesis.Clients.Encryption.RecordEncryptor? Encryptor { get; init; }

    /// <summary>The bytes each Kinesis record keeps free for encryption's header and tag (0 without encryption).</summary>
    public int EncryptionReserve => Encryptor?.MaxOverhead ?? 0;

    /// <summary>Called exactly once per record that fails.</summary>
    public void OnRecordCompleted(UserRecord record)
    {
        Producer.Admission.Release(record.Size, 1);
        record.Epoch.Exit();
    }

    /// <summary>Releases the buffer room of records just completed by <see cref="UserRecord.TrySucceed"/>, then counts them out of their flush epochs.</summary>
    public void OnRecordsStored(List<UserRecord> stored)
    {
        if (stored.Count == 0)
        {
            // An aggregate of records kept only as a count (UnobservedRecords gives their room back).
            return;
        }

        long bytes = 0;
        foreach (var record in stored)
        {
            bytes += record.Size;
        }

        Producer.Admission.Release(bytes, stored.Count);

        // Records of one Kinesis record nearly always share a flush epoch: leave it once per run of them,
        // not once per record (an interlocked decrement each).
        var i = 0;
        while (i < stored.Count)
        {
            var epoch = stored[i].Epoch;
            var run = 1;
            while (i + run < stored.Count && ReferenceEquals(stored[i + run].Epoch, epoch))
            {
                run++;
            }

            epoch.Exit(run);
            i += run;
        }
    }
}
