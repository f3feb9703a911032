using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging;
using Polly;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// What every stream's pipeline needs from the producer that owns it, built once with the producer and shared:
/// options, clock, logger, metrics, the retry policy, admission (to give buffer room back and find hash keys
/// again) and where failures are reported. Pipelines and records hold this, never the producer itself.
/// </summary>
internal sealed class ProducerContext
{
    private readonly CallbackDispatcher _callbacks;
    private readonly long _ttlTicks;

    public ProducerContext(
        KinesisProducerOptions options,
        ILogger logger,
        ProducerMetrics metrics,
        RecordAdmission admission,
        CallbackDispatcher callbacks,
        ResiliencePipeline<BatchProgress> retryPipeline)
    {
        Options = options;
        Time = options.TimeProvider;
        Logger = logger;
        Metrics = metrics;
        Admission = admission;
        RetryPipeline = retryPipeline;
        CredentialsLog = new CredentialsFailureLog(logger);
        _callbacks = callbacks;

        // Saturates rather than wraps: a TTL of centuries means "never expire", not "already expired".
        _ttlTicks = (long)Math.Min(long.MaxValue / 2.0, options.RecordTtl.TotalSeconds * options.TimeProvider.TimestampFrequency);
    }

    public KinesisProducerOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public ProducerMetrics Metrics { get; }

    public RecordAdmission Admission { get; }

    public ResiliencePipeline<BatchProgress> RetryPipeline { get; }

    /// <summary>Logs each distinct credentials failure once, and the recovery once, whichever stream meets it.</summary>
    public CredentialsFailureLog CredentialsLog { get; }

    /// <summary>When a record accepted at <paramref name="acceptedAt"/> expires.</summary>
    public long DeadlineOf(long acceptedAt) => acceptedAt > long.MaxValue - _ttlTicks ? long.MaxValue : acceptedAt + _ttlTicks;

    /// <summary>The hash key of an accepted (so valid) record, from the key cache when it is there.</summary>
    public HashKey HashKeyOf(string partitionKey, string? explicitHashKey) => Admission.HashKeyOf(partitionKey, explicitHashKey);

    public void NotifySucceeded(IPutObserver observer, long token, string shardId, string sequenceNumber)
    {
        try
        {
            observer.OnPutSucceeded(token, shardId, sequenceNumber);
        }
        catch (Exception ex)
        {
            ProducerLog.CallbackFailed(Logger, ex);
        }
    }

    public void ReportFailure(RecordFailure failure, IPutObserver? observer = null, long token = 0)
    {
        if (failure.ErrorCode == RecordFailure.Expired)
        {
            Metrics.Expired(failure.StreamName, failure.RecordCount);
        }

        _callbacks.Report(failure, observer, token);
    }
}
