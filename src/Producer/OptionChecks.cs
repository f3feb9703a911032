using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Producer;

/// <summary>
/// The range checks both producers' options share (<see cref="KinesisProducerOptions"/>, <see cref="FirehoseProducerOptions"/>):
/// each throws <see cref="ArgumentException"/> whose <see cref="ArgumentException.ParamName"/> and message name the option.
/// </summary>
internal static class OptionChecks
{
    /// <summary>A time above zero and not <see cref="Timeout.InfiniteTimeSpan"/>.</summary>
    public static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{name} must be a positive, finite time; got {value}.", name);
        }
    }

    /// <summary>A time in [<paramref name="min"/>, <paramref name="max"/>]; <see cref="TimeSpan.MaxValue"/> for no upper bound.</summary>
    public static void TimeRange(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            var upper = max == TimeSpan.MaxValue ? "" : $" and at most {Describe(max)}";
            throw new ArgumentException($"{name} must be at least {Describe(min)}{upper}; got {value}.", name);
        }
    }

    /// <summary>A number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void Range(long value, long min, long max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"{name} must be between {min} and {max}; got {value}.", name);
        }
    }

    /// <summary>RetryMaxDelay (<paramref name="maxDelay"/>, named <paramref name="name"/>) at least RetryBaseDelay.</summary>
    public static void RetryDelays(TimeSpan baseDelay, TimeSpan maxDelay, string name)
    {
        if (maxDelay < baseDelay)
        {
            throw new ArgumentException($"{name} ({maxDelay}) must be at least RetryBaseDelay ({baseDelay}).", name);
        }
    }

    /// <summary>RecordTtl (<paramref name="ttl"/>, named <paramref name="name"/>) longer than RecordMaxBufferedTime, or records would expire before being sent.</summary>
    public static void TtlAfterLinger(TimeSpan ttl, TimeSpan linger, string name)
    {
        if (ttl <= linger)
        {
            throw new ArgumentException(
                $"{name} ({ttl}) must be longer than RecordMaxBufferedTime ({linger}), or records would expire before being sent.", name);
        }
    }

    /// <summary>MaxBufferedBytes (named <paramref name="name"/>) at least the largest record; <paramref name="largest"/> says what that is and its size.</summary>
    public static void BufferHoldsLargestRecord(long maxBufferedBytes, long largestRecordBytes, string largest, string name)
    {
        if (maxBufferedBytes < largestRecordBytes)
        {
            throw new ArgumentException(
                $"{name} ({maxBufferedBytes}) must be at least {largest}, or the largest record could never be buffered.", name);
        }
    }

    /// <summary>A defined <see cref="MetricsLevel"/>.</summary>
    public static void Defined(MetricsLevel value, string name)
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentException($"{name} must be None, Summary or Detailed; got {(int)value}.", name);
        }
    }

    /// <summary>A defined <see cref="MetricsGranularity"/>.</summary>
    public static void Defined(MetricsGranularity value, string name)
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentException($"{name} must be Global, Stream or Shard; got {(int)value}.", name);
        }
    }

    /// <summary>A CloudWatch namespace: the KPL's pattern <c>(?!AWS/).{1,255}</c>; CloudWatch also refuses a leading ':'.</summary>
    public static void CloudWatchNamespace(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 255 || value.StartsWith(':') || value.StartsWith("AWS/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"{name} must be 1 to 255 characters, not starting with 'AWS/' or ':'; got '{value}'.", name);
        }
    }

    private static string Describe(TimeSpan value) =>
        value.TotalMilliseconds < 1000 ? $"{value.TotalMilliseconds:0.###} ms" : $"{value.TotalSeconds:0.###} s";
}
