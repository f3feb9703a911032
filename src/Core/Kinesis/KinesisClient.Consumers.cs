using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

public sealed partial class KinesisClient
{
    /// <summary>Registers an enhanced fan-out consumer; it is <c>CREATING</c> until it becomes <c>ACTIVE</c>.</summary>
    /// <param name="streamArn">The stream's ARN.</param>
    /// <param name="consumerName">1 to 128 characters of <c>a-zA-Z0-9_.-</c>, unique per stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<StreamConsumer> RegisterStreamConsumerAsync(string streamArn, string consumerName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamArn);
        ValidateConsumerName(consumerName);
        return await SendAsync(
            "RegisterStreamConsumer",
            (streamArn, consumerName),
            static (w, s) =>
            {
                w.WriteStartObject(2);
                w.WritePropertyName("StreamARN");
                w.WriteString(s.streamArn);
                w.WritePropertyName("ConsumerName");
                w.WriteString(s.consumerName);
                w.WriteEndObject();
            },
            reply => KinesisReplies.Consumer(reply["Consumer"], streamArn),
            $"consumer {consumerName} on {streamArn}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Describes a consumer, by ARN or by stream ARN and name.</summary>
    /// <param name="consumerArn">The consumer's ARN (or give the other two).</param>
    /// <param name="streamArn">The stream's ARN, with <paramref name="consumerName"/>.</param>
    /// <param name="consumerName">The consumer's name, with <paramref name="streamArn"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<StreamConsumer> DescribeStreamConsumerAsync(
        string? consumerArn,
        string? streamArn = null,
        string? consumerName = null,
        CancellationToken cancellationToken = default)
    {
        RequireConsumer(consumerArn, streamArn, consumerName);
        return await SendAsync(
            "DescribeStreamConsumer",
            (consumerArn, streamArn, consumerName),
            static (w, s) => KinesisRequestWriters.ConsumerReference(w, s.consumerArn, s.streamArn, s.consumerName),
            reply => KinesisReplies.Consumer(reply["ConsumerDescription"], streamArn),
            $"consumer {consumerArn ?? consumerName}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deregisters a consumer, by ARN or by stream ARN and name.</summary>
    /// <param name="consumerArn">The consumer's ARN (or give the other two).</param>
    /// <param name="streamArn">The stream's ARN, with <paramref name="consumerName"/>.</param>
    /// <param name="consumerName">The consumer's name, with <paramref name="streamArn"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task DeregisterStreamConsumerAsync(
        string? consumerArn,
        string? streamArn = null,
        string? consumerName = null,
        CancellationToken cancellationToken = default)
    {
        RequireConsumer(consumerArn, streamArn, consumerName);
        await SendAsync(
            "DeregisterStreamConsumer",
            (consumerArn, streamArn, consumerName),
            static (w, s) => KinesisRequestWriters.ConsumerReference(w, s.consumerArn, s.streamArn, s.consumerName),
            NoReply,
            $"consumer {consumerArn ?? consumerName}",
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists one page of a stream's consumers.</summary>
    /// <param name="streamArn">The stream's ARN.</param>
    /// <param name="nextToken">The token from the previous page.</param>
    /// <param name="maxResults">Page size, 1 to 10,000.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ListStreamConsumersResponse> ListStreamConsumersAsync(
        string streamArn,
        string? nextToken = null,
        int? maxResults = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamArn);
        if (maxResults is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(maxResults), maxResults, "MaxResults must be between 1 and 10,000.");
        }

        return await SendAsync(
            "ListStreamConsumers",
            (streamArn, nextToken, maxResults),
            static (w, s) =>
            {
                w.WriteStartObject(1 + (s.nextToken is null ? 0 : 1) + (s.maxResults is null ? 0 : 1));
                w.WritePropertyName("StreamARN");
                w.WriteString(s.streamArn);
                if (s.nextToken is not null)
                {
                    w.WritePropertyName("NextToken");
                    w.WriteString(s.nextToken);
                }

                if (s.maxResults is int max)
                {
                    w.WritePropertyName("MaxResults");
                    w.WriteInt64(max);
                }

                w.WriteEndObject();
            },
            reply => new ListStreamConsumersResponse(
            reply["Consumers"].Items.Select(c => KinesisReplies.Consumer(c, streamArn)).ToList(),
            reply["NextToken"].AsString()),
            $"consumers of {streamArn}",
            cancellationToken).ConfigureAwait(false);
    }

    private static void RequireConsumer(string? consumerArn, string? streamArn, string? consumerName)
    {
        if (consumerArn is null && (streamArn is null || consumerName is null))
        {
            throw new ArgumentException("Give a consumer ARN, or a stream ARN and a consumer name.", nameof(consumerArn));
        }

        if (consumerArn is not null && (streamArn is not null || consumerName is not null))
        {
            throw new ArgumentException("Give a consumer ARN or a stream ARN and consumer name, not both.", nameof(consumerArn));
        }

        if (consumerName is not null)
        {
            ValidateConsumerName(consumerName);
        }
    }

    private static void ValidateConsumerName(string consumerName)
    {
        ArgumentNullException.ThrowIfNull(consumerName);
        if (consumerName.Length is 0 or > 128 || !consumerName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw new ArgumentException(
                $"Consumer name must be 1 to 128 characters of a-z, A-Z, 0-9, '_', '.', '-'; got '{consumerName}'.",
                nameof(consumerName));
        }
    }
}
