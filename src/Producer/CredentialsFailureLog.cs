using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Producer;

/// <summary>
/// Logs each distinct credentials failure once (not once per request or per stream), and once that they work again.
/// </summary>
/// <remarks>
/// While credentials cannot be obtained every PutRecords and ListShards fails the same way, many times a second
/// across streams; the records wait and are retried, so one line naming the cause and the fix is what an operator
/// needs. The message of <see cref="AwsCredentialsException"/> is stable per cause, which makes it the key.
/// </remarks>
internal sealed class CredentialsFailureLog
{
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private volatile bool _failing;

    public CredentialsFailureLog(ILogger logger) => _logger = logger;

    /// <summary>Logs <paramref name="failure"/> unless its cause was logged since credentials last worked.</summary>
    public void Failed(AwsCredentialsException failure)
    {
        lock (_gate)
        {
            _failing = true;
            if (_reported.Add(failure.Message))
            {
                ProducerLog.CredentialsFailed(_logger, failure.Message);
            }
        }
    }

    /// <summary>A request was signed and answered: credentials work (cheap when they never failed).</summary>
    public void Succeeded()
    {
        if (!_failing)
        {
            return;
        }

        lock (_gate)
        {
            if (_failing)
            {
                _failing = false;
                _reported.Clear();
                ProducerLog.CredentialsRecovered(_logger);
            }
        }
    }
}
