using System.Net;
using System.Text;
using Kinesis.Clients.Resilience;
using Polly;

namespace Kinesis.Clients.Consumer.Failures;

/// <summary>
/// Writes failed records to the dead-letter stream with Core's <see cref="KinesisClient"/> (the consumer never
/// depends on the producer): each record in a <see cref="DeadLetterRecord"/> under its own partition key and
/// explicit hash key, in PutRecords calls within the service's limits, and only the failed entries of a call resent,
/// with backoff, until they are all stored or an error that a retry cannot mend ends the write.
/// </summary>
internal sealed class DeadLetterWriter
{
    private readonly KinesisClient _client;
    private readonly string _application;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline<bool> _retry;

    public DeadLetterWriter(KinesisClient client, string deadLetterStream, string application, TimeProvider time)
    {
        _client = client;
        StreamName = deadLetterStream;
        _application = application;
        _time = time;
        _retry = BackoffRetry.ForResults<bool>(left => left, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), time);
    }

    public string StreamName { get; }

    /// <summary>Writes <paramref name="failure"/>'s records, read from <paramref name="source"/> (its name goes in each record).</summary>
    public async Task WriteAsync(StreamIdentifier source, FailedBatch failure, CancellationToken cancellationToken)
    {
        var failedAt = _time.GetUtcNow();
        var chunk = new List<PutRecordsEntry>();
        long bytes = 0;
        foreach (var record in failure.Records)
        {
            var entry = new PutRecordsEntry(
                record.PartitionKey, DeadLetterRecord.Encode(_application, source.StreamName, failure.ShardId, record, failure, failedAt), record.ExplicitHashKey);
            var size = entry.Data.Length + Encoding.UTF8.GetByteCount(entry.PartitionKey);
            if (chunk.Count == KinesisClient.MaxPutRecordsCount || bytes + size > KinesisClient.MaxPutRecordsBytes)
            {
                await PutAllAsync(chunk, cancellationToken).ConfigureAwait(false);
                chunk = [];
                bytes = 0;
            }

            chunk.Add(entry);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            await PutAllAsync(chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task PutAllAsync(List<PutRecordsEntry> entries, CancellationToken cancellationToken)
    {
        var pending = entries;
        await _retry.ExecuteAsync(
            async token =>
            {
                PutRecordsResponse reply;
                try
                {
                    reply = await _client.PutRecordsAsync(StreamName, pending, token).ConfigureAwait(false);
                }
                catch (AwsServiceException ex) when (ex.IsRetryable)
                {
                    return true;
                }

                if (reply.FailedRecordCount == 0)
                {
                    return false;
                }

                var failed = new List<PutRecordsEntry>(reply.FailedRecordCount);
                for (var i = 0; i < reply.Records.Count; i++)
                {
                    var result = reply.Records[i];
                    if (result.Succeeded)
                    {
                        continue;
                    }

                    if (!AwsErrorCodes.IsRetryable(result.ErrorCode, HttpStatusCode.OK))
                    {
                        throw new InvalidOperationException(
                            $"Dead-letter stream {StreamName} refused a record: {result.ErrorCode}: {result.ErrorMessage}");
                    }

                    failed.Add(pending[i]);
                }

                pending = failed;
                return failed.Count > 0;
            },
            cancellationToken).ConfigureAwait(false);
    }
}
