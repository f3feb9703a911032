namespace Kinesis.Clients.Soak;

/// <summary>A stretch of wall-clock time (Unix milliseconds) during which something disturbed the path.</summary>
internal sealed record FaultWindow(string Kind, long StartUnixMs, long EndUnixMs)
{
    /// <summary>Whether a record written at <paramref name="unixMs"/> may have been in flight during this window.</summary>
    /// <param name="unixMs">When the record was written.</param>
    /// <param name="inFlight">How long a record may stay in flight before it is stored (retries, backoff, buffering).</param>
    public bool Covers(long unixMs, TimeSpan inFlight) =>
        unixMs >= StartUnixMs - (long)inFlight.TotalMilliseconds && unixMs <= EndUnixMs;

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
