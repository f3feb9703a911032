using Kinesis.Clients.CloudWatch;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Metrics;

/// <summary>
/// Sends each interval's metric data in batches, and gives the data of a failed interval one more chance with the
/// next interval's upload; what fails twice is dropped with a log line, so an unreachable CloudWatch costs at most
/// two intervals of data in memory.
/// </summary>
/// <remarks>
/// Once a request of an upload fails for a reason that may pass (throttling, 5xx, reset, time-out), the rest of
/// that upload is not tried: it would most likely fail the same way, and each try could wait a whole time-out.
/// A refusal that cannot pass (a 4xx such as <c>InvalidParameterValue</c>) drops that batch at once. Not thread-safe:
/// the publisher runs one upload at a time.
/// </remarks>
internal sealed class MetricsUploader
{
    private readonly Func<string, IReadOnlyList<MetricDatum>, CancellationToken, Task> _put;
    private readonly string _namespace;
    private readonly int _maxDataPerRequest;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private List<MetricDatum[]> _second = [];

    public MetricsUploader(
        Func<string, IReadOnlyList<MetricDatum>, CancellationToken, Task> put,
        string @namespace,
        int maxDataPerRequest,
        TimeProvider time,
        ILogger logger)
    {
        _put = put;
        _namespace = @namespace;
        _maxDataPerRequest = maxDataPerRequest;
        _time = time;
        _logger = logger;
    }

    /// <summary>Data waiting for their second chance.</summary>
    public int Waiting => _second.Sum(b => b.Length);

    /// <summary>
    /// Sends the data waiting from the last upload, then <paramref name="data"/>, within <paramref name="timeout"/>.
    /// Failures are logged, never thrown.
    /// </summary>
    /// <exception cref="OperationCanceledException">
    /// <paramref name="cancellationToken"/> was cancelled; everything unsent waits for the next upload.
    /// </exception>
    public async Task UploadAsync(IReadOnlyList<MetricDatum> data, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var second = _second;
        var first = MetricBatches.Split(_namespace, data, _maxDataPerRequest, CloudWatchLimits.MaxPayloadBytes);
        _second = [];
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        Exception? outage = null;
        int sent = 0, requests = 0, deferred = 0, dropped = 0;
        var queue = second.Select(b => (Batch: b, Retry: true)).Concat(first.Select(b => (Batch: b, Retry: false))).ToList();
        for (var i = 0; i < queue.Count; i++)
        {
            var (batch, retry) = queue[i];
            if (outage is null)
            {
                try
                {
                    await _put(_namespace, batch, linked.Token).ConfigureAwait(false);
                    sent += batch.Length;
                    requests++;
                    continue;
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Stopping: everything not yet sent waits for the final upload.
                    _second.AddRange(queue.Skip(i).Select(q => q.Batch));
                    throw;
                }
                catch (Exception ex) when (Classify(ex, timeout) is var (passes, reported))
                {
                    if (!passes)
                    {
                        MetricsLog.Rejected(_logger, reported, batch.Length, _namespace);
                        continue;
                    }

                    outage = reported;
                }
            }

            if (retry)
            {
                dropped += batch.Length;
            }
            else
            {
                deferred += batch.Length;
                _second.Add(batch);
            }
        }

        // One line each per upload, carrying the first failure's reason.
        if (deferred > 0)
        {
            MetricsLog.UploadFailed(_logger, outage!, deferred, _namespace);
        }

        if (dropped > 0)
        {
            MetricsLog.DroppedAfterRetry(_logger, outage, dropped, _namespace);
        }

        if (requests > 0)
        {
            MetricsLog.Uploaded(_logger, sent, requests, _namespace);
        }
    }

    /// <summary>Drops what waits for a second chance, returning how many data that was.</summary>
    public int DropWaiting()
    {
        var count = Waiting;
        _second = [];
        return count;
    }

    // Whether sending the same data again may succeed, and the exception to report.
    private static (bool Passes, Exception Reported) Classify(Exception ex, TimeSpan timeout) => ex switch
    {
        AwsServiceException aws => (aws.IsRetryable, aws),
        OperationCanceledException => (true, new TimeoutException($"The metrics upload did not finish within {timeout}.", ex)),
        // A datum the client refuses will be refused every time.
        ArgumentException => (false, ex),
        // Anything else (no credentials yet, a handler's error) may pass by the next interval.
        _ => (true, ex),
    };
}
