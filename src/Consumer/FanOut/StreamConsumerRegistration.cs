using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>
/// Finds an enhanced fan-out consumer by name, registers it when it is missing, and waits until it is
/// <c>ACTIVE</c>: what a fan-out reader needs before its first SubscribeToShard.
/// </summary>
/// <remarks>
/// Safe to run from many workers at once: when two register the same name, one wins and the other sees
/// <see cref="ResourceInUseException"/> and takes the winner's consumer. A consumer still being deleted is waited
/// out and registered anew. Throttled or failed look-ups are retried until the time-out.
/// </remarks>
public static class StreamConsumerRegistration
{
    /// <summary>The default time a registration may take: 2 minutes (the service takes seconds).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Returns the <c>ACTIVE</c> consumer called <paramref name="consumerName"/> on the stream, registering it if needed.</summary>
    /// <param name="kinesis">The client to call DescribeStreamConsumer and RegisterStreamConsumer with; its clock paces the waits.</param>
    /// <param name="streamArn">The stream's ARN (<see cref="KinesisClient.DescribeStreamSummaryAsync(string?, string?, CancellationToken)"/> gives it).</param>
    /// <param name="consumerName">1 to 128 characters of <c>a-zA-Z0-9_.-</c>.</param>
    /// <param name="timeout">How long to wait for <c>ACTIVE</c>.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The consumer; its <see cref="StreamConsumer.ConsumerArn"/> is what SubscribeToShard takes.</returns>
    /// <exception cref="TimeoutException">The consumer was not <c>ACTIVE</c> within <paramref name="timeout"/>; the message says what it was.</exception>
    /// <exception cref="AwsServiceException">A call failed in a way waiting cannot fix (e.g. the stream does not exist, access denied).</exception>
    public static Task<StreamConsumer> EnsureRegisteredAsync(
        KinesisClient kinesis,
        string streamArn,
        string consumerName,
        TimeSpan timeout,
        CancellationToken cancellationToken = default) =>
        EnsureRegisteredAsync(kinesis, streamArn, consumerName, timeout, DefaultPollInterval, null, cancellationToken);

    /// <summary>
    /// The consumer ARN to subscribe with: <see cref="FanOutOptions.ConsumerArn"/> as given, or else the consumer
    /// called <see cref="FanOutOptions.ConsumerName"/> (by default <paramref name="applicationName"/>, as in the KCL)
    /// on the stream, registered if missing and waited for until <c>ACTIVE</c>.
    /// </summary>
    internal static async Task<string> ResolveConsumerArnAsync(
        KinesisClient kinesis,
        string streamArn,
        FanOutOptions options,
        string applicationName,
        ILogger? logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.ConsumerArn is { } consumerArn)
        {
            return consumerArn;
        }

        var consumer = await EnsureRegisteredAsync(
            kinesis, streamArn, options.ConsumerName ?? applicationName, options.RegistrationTimeout, DefaultPollInterval, logger, cancellationToken)
            .ConfigureAwait(false);
        return consumer.ConsumerArn;
    }

    internal static async Task<StreamConsumer> EnsureRegisteredAsync(
        KinesisClient kinesis,
        string streamArn,
        string consumerName,
        TimeSpan timeout,
        TimeSpan pollInterval,
        ILogger? logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kinesis);
        ArgumentException.ThrowIfNullOrWhiteSpace(streamArn);
        ArgumentNullException.ThrowIfNull(consumerName);
        if (!FanOutOptions.IsValidConsumerName(consumerName))
        {
            throw new ArgumentException(
                $"A consumer name is 1 to 128 characters of a-z, A-Z, 0-9, '_', '.', '-'; got '{consumerName}'.", nameof(consumerName));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pollInterval, TimeSpan.Zero);
        logger ??= NullLogger.Instance;
        var time = kinesis.Options.TimeProvider;
        var started = time.GetTimestamp();
        string? lastState = null;
        while (true)
        {
            var consumer = await TryFindOrRegisterAsync(kinesis, streamArn, consumerName, logger, cancellationToken).ConfigureAwait(false);
            if (consumer.Consumer is { IsActive: true } active)
            {
                FanOutLog.ConsumerActive(logger, consumerName, streamArn, active.ConsumerArn);
                return active;
            }

            lastState = consumer.Consumer?.ConsumerStatus ?? consumer.Failure ?? lastState;
            if (consumer.Consumer is { } pending)
            {
                FanOutLog.WaitingForActive(logger, consumerName, streamArn, pending.ConsumerStatus);
            }

            var left = timeout - time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"Consumer {consumerName} on stream {streamArn} was not ACTIVE after {timeout.TotalSeconds:0.#} s; last seen: {lastState ?? "nothing"}.");
            }

            await Task.Delay(left < pollInterval ? left : pollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<(StreamConsumer? Consumer, string? Failure)> TryFindOrRegisterAsync(
        KinesisClient kinesis,
        string streamArn,
        string consumerName,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        try
        {
            return (await kinesis.DescribeStreamConsumerAsync(null, streamArn, consumerName, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ResourceNotFoundException)
        {
            // Not registered (or its deletion finished): register it below.
        }
        catch (AwsServiceException ex) when (ex.IsRetryable)
        {
            FanOutLog.RegistrationCallFailed(logger, consumerName, streamArn, ex.Message);
            return (null, ex.ErrorCode ?? ex.Message);
        }

        try
        {
            FanOutLog.Registering(logger, consumerName, streamArn);
            return (await kinesis.RegisterStreamConsumerAsync(streamArn, consumerName, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ResourceInUseException ex)
        {
            // Another worker registered it first, or a consumer of that name is still being deleted: look again.
            return (null, ex.ErrorCode);
        }
        catch (AwsServiceException ex) when (ex.IsRetryable)
        {
            FanOutLog.RegistrationCallFailed(logger, consumerName, streamArn, ex.Message);
            return (null, ex.ErrorCode ?? ex.Message);
        }
    }
}
