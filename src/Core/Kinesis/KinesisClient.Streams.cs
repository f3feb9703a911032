using Kinesis.Clients.Records;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

public sealed partial class KinesisClient
{
    /// <summary>Creates a stream. It is <c>CREATING</c> at first; see <see cref="WaitForStreamActiveAsync"/>.</summary>
    /// <param name="streamName">1 to 128 characters of <c>a-zA-Z0-9_.-</c>.</param>
    /// <param name="shardCount">Shards for a provisioned stream; leave out for on-demand.</param>
    /// <param name="mode">Provisioned (the default) or on-demand.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task CreateStreamAsync(
        string streamName,
        int? shardCount,
        StreamMode mode = StreamMode.Provisioned,
        CancellationToken cancellationToken = default)
    {
        RecordValidation.ValidateStreamName(streamName, nameof(streamName));
        if (shardCount is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, "A stream needs at least 1 shard.");
        }

        if (mode == StreamMode.Provisioned && shardCount is null)
        {
            throw new ArgumentException("A provisioned stream needs a shard count.", nameof(shardCount));
        }

        await SendAsync(
            "CreateStream",
            (streamName, shardCount, mode),
            static (w, s) =>
            {
                w.WriteStartObject(s.shardCount is null ? 2 : 3);
                w.WritePropertyName("StreamName");
                w.WriteString(s.streamName);
                if (s.shardCount is int count)
                {
                    w.WritePropertyName("ShardCount");
                    w.WriteInt64(count);
                }

                w.WritePropertyName("StreamModeDetails");
                w.WriteStartObject(1);
                w.WritePropertyName("StreamMode");
                w.WriteString(s.mode == StreamMode.OnDemand ? "ON_DEMAND" : "PROVISIONED");
                w.WriteEndObject();
                w.WriteEndObject();
            },
            NoReply,
            StreamContext(streamName, null),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a stream and its data.</summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="enforceConsumerDeletion">Also deregister its enhanced fan-out consumers.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task DeleteStreamAsync(string streamName, bool enforceConsumerDeletion = false, CancellationToken cancellationToken = default)
    {
        RecordValidation.ValidateStreamName(streamName, nameof(streamName));
        await SendAsync(
            "DeleteStream",
            (streamName, enforceConsumerDeletion),
            static (w, s) =>
            {
                w.WriteStartObject(2);
                w.WritePropertyName("StreamName");
                w.WriteString(s.streamName);
                w.WritePropertyName("EnforceConsumerDeletion");
                w.WriteBoolean(s.enforceConsumerDeletion);
                w.WriteEndObject();
            },
            NoReply,
            StreamContext(streamName, null),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Describes a stream without listing its shards.</summary>
    /// <param name="streamName">The stream name (or give <paramref name="streamArn"/>).</param>
    /// <param name="streamArn">The stream ARN, instead of the name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<StreamSummary> DescribeStreamSummaryAsync(
        string? streamName,
        string? streamArn = null,
        CancellationToken cancellationToken = default)
    {
        RequireStream(streamName, streamArn, nameof(streamName));
        return await SendAsync(
            "DescribeStreamSummary",
            (streamName, streamArn),
            static (w, s) =>
            {
                w.WriteStartObject(1);
                WriteStream(w, s.streamName, s.streamArn);
                w.WriteEndObject();
            },
            reply => KinesisReplies.StreamSummary(reply["StreamDescriptionSummary"]),
            StreamContext(streamName, streamArn),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Polls <see cref="DescribeStreamSummaryAsync"/> until the stream is <c>ACTIVE</c>; throws
    /// <see cref="TimeoutException"/> naming the last status when <paramref name="timeout"/> passes first.
    /// </summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public async Task<StreamSummary> WaitForStreamActiveAsync(string streamName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var time = Options.TimeProvider;
        var deadline = time.GetTimestamp() + (long)(timeout.TotalSeconds * time.TimestampFrequency);
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var summary = await DescribeStreamSummaryAsync(streamName, null, cancellationToken).ConfigureAwait(false);
            if (summary.IsActive)
            {
                return summary;
            }

            if (time.GetTimestamp() >= deadline)
            {
                throw new TimeoutException(
                    $"Stream {streamName} is still {summary.StreamStatus} after {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
        }
    }

    /// <summary>Lists one page of stream names.</summary>
    /// <param name="exclusiveStartStreamName">Names after this one.</param>
    /// <param name="limit">Page size, 1 to 10,000.</param>
    /// <param name="nextToken">The token from the previous page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ListStreamsResponse> ListStreamsAsync(
        string? exclusiveStartStreamName = null,
        int? limit = null,
        string? nextToken = null,
        CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "ListStreams limit must be between 1 and 10,000.");
        }

        return await SendAsync(
            "ListStreams",
            (exclusiveStartStreamName, limit, nextToken),
            static (w, s) =>
            {
                w.WriteStartObject((s.exclusiveStartStreamName is null ? 0 : 1) + (s.limit is null ? 0 : 1) + (s.nextToken is null ? 0 : 1));
                if (s.exclusiveStartStreamName is not null)
                {
                    w.WritePropertyName("ExclusiveStartStreamName");
                    w.WriteString(s.exclusiveStartStreamName);
                }

                if (s.limit is int l)
                {
                    w.WritePropertyName("Limit");
                    w.WriteInt64(l);
                }

                if (s.nextToken is not null)
                {
                    w.WritePropertyName("NextToken");
                    w.WriteString(s.nextToken);
                }

                w.WriteEndObject();
            },
            reply => new ListStreamsResponse(
            reply["StreamNames"].Items.Select(v => v.AsString()!).ToList(),
            reply["HasMoreStreams"].AsBoolean() ?? false,
            reply["NextToken"].AsString()),
            "list streams",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Raises how long the stream keeps records.</summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="retentionPeriodHours">24 to 8,760 hours (365 days).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task IncreaseStreamRetentionPeriodAsync(string streamName, int retentionPeriodHours, CancellationToken cancellationToken = default)
    {
        RecordValidation.ValidateStreamName(streamName, nameof(streamName));
        if (retentionPeriodHours is < 24 or > 8760)
        {
            throw new ArgumentOutOfRangeException(
                nameof(retentionPeriodHours), retentionPeriodHours, "Retention must be between 24 and 8,760 hours.");
        }

        await SendAsync(
            "IncreaseStreamRetentionPeriod",
            (streamName, retentionPeriodHours),
            static (w, s) =>
            {
                w.WriteStartObject(2);
                w.WritePropertyName("StreamName");
                w.WriteString(s.streamName);
                w.WritePropertyName("RetentionPeriodHours");
                w.WriteInt64(s.retentionPeriodHours);
                w.WriteEndObject();
            },
            NoReply,
            StreamContext(streamName, null),
            cancellationToken).ConfigureAwait(false);
    }
}
