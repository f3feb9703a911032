namespace Kinesis.Clients.Testing;

/// <summary>
/// A delivery stream's Direct PUT quota, per second. The defaults are the service's in its large regions
/// (us-east-1, us-west-2, eu-west-1): 5 MiB/s, 2,000 requests/s, 500,000 records/s.
/// </summary>
/// <param name="BytesPerSecond">Data bytes per second.</param>
/// <param name="RequestsPerSecond">PutRecord and PutRecordBatch calls per second.</param>
/// <param name="RecordsPerSecond">Records per second.</param>
public sealed record FirehoseQuota(double BytesPerSecond = 5 * 1024 * 1024, double RequestsPerSecond = 2_000, double RecordsPerSecond = 500_000)
{
    /// <summary>The service's default quota in the large regions.</summary>
    public static FirehoseQuota Default { get; } = new();

    /// <summary>A quota high enough never to throttle a test or a benchmark.</summary>
    public static FirehoseQuota Unlimited { get; } = new(1e12, 1e9, 1e9);
}
