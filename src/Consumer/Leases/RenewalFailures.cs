using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// Which held leases' renewals are failing now (the lease table throttled, 500s, unreachable), so an episode is
/// logged once when it starts and once when it ends instead of once per call, and a gauge can show it while it
/// lasts. Thread-safe.
/// </summary>
internal sealed class RenewalFailures(string workerId, TimeProvider time, ILogger logger, Action<int>? onChanged)
{
    private readonly ConcurrentDictionary<string, byte> _failing = new(StringComparer.Ordinal);
    private readonly Lock _episode = new();
    private long _startedAt;
    private long _attempts;

    /// <summary>Held leases whose last renewal attempt failed.</summary>
    public int Count => _failing.Count;

    /// <summary>The keys of those leases.</summary>
    public ICollection<string> Keys => _failing.Keys;

    /// <summary>A renewal attempt of <paramref name="leaseKey"/> threw.</summary>
    public void Failed(string leaseKey, Exception exception)
    {
        Interlocked.Increment(ref _attempts);
        if (!_failing.TryAdd(leaseKey, 0))
        {
            LeaseLog.RenewalRetry(logger, workerId, leaseKey, exception);
            return;
        }

        Changed(+1);
        lock (_episode)
        {
            if (_startedAt == 0)
            {
                _startedAt = time.GetTimestamp();
                LeaseLog.RenewalsFailing(logger, workerId, leaseKey, exception);
            }
        }
    }

    /// <summary>
    /// <paramref name="leaseKey"/> was renewed, or is no longer held: it no longer counts as failing. The episode
    /// ends when no lease does.
    /// </summary>
    public void Ended(string leaseKey)
    {
        if (!_failing.TryRemove(leaseKey, out _))
        {
            return;
        }

        Changed(-1);
        lock (_episode)
        {
            if (_failing.IsEmpty && _startedAt != 0)
            {
                var duration = time.GetElapsedTime(_startedAt);
                var attempts = Interlocked.Exchange(ref _attempts, 0);
                LeaseLog.RenewalsRecovered(logger, workerId, duration, attempts);
                _startedAt = 0;
            }
        }
    }

    private void Changed(int delta)
    {
        try
        {
            onChanged?.Invoke(delta);
        }
        catch (Exception e)
        {
            LeaseLog.CallbackFailed(logger, nameof(LeaseCoordinatorOptions.OnRenewalsFailingChanged), "(all)", e);
        }
    }
}
