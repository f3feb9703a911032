using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Counts the user records a Kinesis record carries without decoding them: the load tools' sink counts every
/// accepted record with it, at the rate the measured program sends.
/// </summary>
public static class UserRecordCount
{
    /// <summary>The number of user records in a Kinesis record's data: its records if it is a KPL aggregate, else 1.</summary>
    /// <param name="data">The Kinesis record's data.</param>
    /// <returns>At least 1.</returns>
    /// <remarks>
    /// The <see cref="Deaggregator"/>'s own count, without its MD5 check (the tests read records back through
    /// the full check); a record that does not parse as an aggregate counts as one, as the KCL would hand it over.
    /// </remarks>
    public static int Of(ReadOnlySpan<byte> data) => Deaggregator.CountUserRecords(data, checkDigest: false);
}
