using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Leases;

/// <summary>The lease table's and lease coordinator's log events; ids 2100-2149.</summary>
internal static partial class LeaseLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Created lease table {Table} ({BillingMode})")]
    public static partial void TableCreated(ILogger logger, string table, string billingMode);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Worker {Worker} started: failover {FailoverTime}, renewing every {RenewalInterval}, taking every {TakeInterval}, at most {MaxLeases} leases, stealing at most {MaxSteal} at a time")]
    public static partial void Started(ILogger logger, string worker, TimeSpan failoverTime, TimeSpan renewalInterval, TimeSpan takeInterval, int maxLeases, int maxSteal);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Worker {Worker} took lease {LeaseKey} (counter {Counter}) from {PreviousOwner}")]
    public static partial void Acquired(ILogger logger, string worker, string leaseKey, long counter, string previousOwner);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Worker {Worker} lost lease {LeaseKey}: {Reason}")]
    public static partial void Lost(ILogger logger, string worker, string leaseKey, string reason);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Worker {Worker} take round: {Leases} leases, {Workers} workers, target {Target}, holding {Held}, taking {Taking}, stealing {Stealing}")]
    public static partial void TakeRound(ILogger logger, string worker, int leases, int workers, int target, int held, int taking, int stealing);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Debug, Message = "Worker {Worker} did not take lease {LeaseKey}: its counter moved since it was listed")]
    public static partial void TakeRaceLost(ILogger logger, string worker, string leaseKey);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Worker {Worker} could not {Operation} lease {LeaseKey}; it is kept until its failover time runs out")]
    public static partial void WriteFailed(ILogger logger, string worker, string operation, string leaseKey, Exception exception);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Worker {Worker} could not list the lease table; it takes no leases this round")]
    public static partial void ListFailed(ILogger logger, string worker, Exception exception);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Error, Message = "The {Callback} callback threw for lease {LeaseKey}; the coordinator carries on")]
    public static partial void CallbackFailed(ILogger logger, string callback, string leaseKey, Exception exception);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Information, Message = "Worker {Worker} released lease {LeaseKey} so another worker can take it at once")]
    public static partial void Released(ILogger logger, string worker, string leaseKey);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Error, Message = "Worker {Worker}'s {Loop} round failed unexpectedly; the next round runs on schedule")]
    public static partial void RoundFailed(ILogger logger, string worker, string loop, Exception exception);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "Lease table {Table} has a row {LeaseKey} that is not a lease this library can read; it is skipped and left untouched: {Reason}")]
    public static partial void RowSkipped(ILogger logger, string table, string leaseKey, string reason);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Information, Message = "Worker {Worker} was asked to hand lease {LeaseKey} over to {NextOwner}; it checkpoints, then transfers it")]
    public static partial void HandoffRequested(ILogger logger, string worker, string leaseKey, string nextOwner);

    [LoggerMessage(EventId = 2113, Level = LogLevel.Warning, Message = "Worker {Worker} cannot renew its leases (first: {LeaseKey}); it retries until each lease expires by its own clock, and logs again when renewals succeed")]
    public static partial void RenewalsFailing(ILogger logger, string worker, string leaseKey, Exception exception);

    [LoggerMessage(EventId = 2114, Level = LogLevel.Information, Message = "Worker {Worker} renews its leases again after {Duration} ({Attempts} failed attempts)")]
    public static partial void RenewalsRecovered(ILogger logger, string worker, TimeSpan duration, long attempts);

    [LoggerMessage(EventId = 2115, Level = LogLevel.Debug, Message = "Worker {Worker} could not renew lease {LeaseKey} again; retrying")]
    public static partial void RenewalRetry(ILogger logger, string worker, string leaseKey, Exception exception);

    [LoggerMessage(EventId = 2116, Level = LogLevel.Information, Message = "Worker {Worker}'s {Operation} of lease {LeaseKey} was applied though its reply was lost (the table shows counter {Counter} and this worker); taken as done")]
    public static partial void WriteLandedUnanswered(ILogger logger, string worker, string operation, string leaseKey, long counter);
}
