using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Worker;

internal sealed partial class ConsumerWorker
{
    private string? _fleetClientVersion;
    private bool _fleetReadFailing;

    /// <summary>
    /// Reads the client version a KCL 3.x fleet recorded for the table (<see cref="DynamoDbLeaseStore.ReadFleetClientVersionAsync"/>),
    /// every <see cref="KinesisConsumerOptions.ClientVersionMonitorInterval"/>; <see langword="null"/> when nothing is watched.
    /// </summary>
    public Func<CancellationToken, Task<FleetClientVersion?>>? ReadFleetClientVersion { get; init; }

    /// <summary>
    /// One look at the fleet's client version, as the KCL's <c>ClientVersionChangeMonitor</c> takes one: the version
    /// found when it says to leave, <see langword="null"/> to keep going. A failed read is no change: the worker keeps
    /// going and logs the first failure of a streak only.
    /// </summary>
    private async Task<FleetClientVersion?> WatchFleetAsync(CancellationToken cancellationToken)
    {
        FleetClientVersion? found;
        try
        {
            found = await ReadFleetClientVersion!(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (!_fleetReadFailing)
            {
                _fleetReadFailing = true;
                ConsumerLog.FleetClientVersionReadFailed(_logger, _options.EffectiveLeaseTableName, ex.Message, ex);
            }

            return null;
        }

        if (_fleetReadFailing)
        {
            _fleetReadFailing = false;
            ConsumerLog.FleetClientVersionReadRecovered(_logger, _options.EffectiveLeaseTableName);
        }

        if (found?.ClientVersion != _fleetClientVersion)
        {
            _fleetClientVersion = found?.ClientVersion;
            ConsumerLog.FleetClientVersionChanged(_logger, _options.EffectiveLeaseTableName, found?.ClientVersion ?? "(none)", found?.Table ?? "(none)");
        }

        return KclFleetMode.Decide(found) == FleetModeDecision.Leave ? found : null;
    }
}
