using System.Text;
using Kinesis.Clients.Consumer;

namespace Kinesis.Clients.Soak;

/// <summary>
/// Writes every record it is given to the worker's <see cref="DeliveryLog"/>, flushes, then checkpoints: the
/// at-least-once contract a real processor keeps (its effects are durable before the checkpoint says so).
/// </summary>
internal sealed class DeliveryProcessor(DeliveryLog log, string processorId) : IRecordProcessor
{
    private string _shardId = "";

    public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken)
    {
        _shardId = input.ShardId;
        log.Write(DeliveryLog.Invariant($"I {processorId} {_shardId} {DeliveryLog.Mono()}"));
        return ValueTask.CompletedTask;
    }

    public async ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
    {
        if (input.Records.Count == 0)
        {
            return;
        }

        var lines = new StringBuilder(input.Records.Count * 96);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var record in input.Records)
        {
            lines.Append(DeliveryLog.Invariant($"D {processorId} {_shardId} {record.SequenceNumber} {record.SubSequenceNumber} {DeliveryLog.Mono()} {now} {record.PartitionKey} {Head(record.Data.Span)}")).Append('\n');
        }

        log.Write(lines);
        log.Flush();
        var last = input.Records[^1];
        try
        {
            await input.Checkpointer.CheckpointAsync(last, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The consumer retries the batch (at least once): logged so that the redelivery it makes is explained.
            log.Write(DeliveryLog.Invariant($"F {processorId} {last.SequenceNumber} {last.SubSequenceNumber} {ex.GetType().Name}"));
            log.Flush();
            throw;
        }

        log.Write(DeliveryLog.Invariant($"C {processorId} {last.SequenceNumber} {last.SubSequenceNumber}"));
        log.Flush();
    }

    public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken)
    {
        log.Write($"L {processorId}");
        log.Flush();
        return ValueTask.CompletedTask;
    }

    public async ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken)
    {
        await input.Checkpointer.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        log.Write(DeliveryLog.Invariant($"E {processorId} {DeliveryLog.Mono()}"));
        log.Flush();
    }

    public async ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken)
    {
        await input.Checkpointer.CheckpointAsync(cancellationToken).ConfigureAwait(false);
        log.Write($"S {processorId}");
        log.Flush();
    }

    // The record's identity: its payload up to the fourth ':' (source, key or generation, sequence, time written),
    // without the padding. Anything else (a record this soak did not write) is logged as "?".
    private static string Head(ReadOnlySpan<byte> data)
    {
        var colons = 0;
        for (var i = 0; i < data.Length && i < 128; i++)
        {
            if (data[i] == (byte)':' && ++colons == 4)
            {
                return Encoding.ASCII.GetString(data[..i]);
            }
        }

        return "?";
    }
}
