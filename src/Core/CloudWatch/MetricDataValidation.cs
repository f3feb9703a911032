using System.Globalization;

namespace Kinesis.Clients.CloudWatch;

/// <summary>
/// The PutMetricData rules of the CloudWatch API reference, checked before anything is sent so that a bad datum
/// fails at once with the field and the limit named, instead of as an <c>InvalidParameterValue</c> later.
/// </summary>
internal static class MetricDataValidation
{
    public static void ValidateNamespace(string? @namespace, string paramName)
    {
        if (@namespace is null)
        {
            throw new ArgumentNullException(paramName, "A namespace is required.");
        }

        var problem = NameProblem(@namespace, CloudWatchLimits.MaxNameLength, asciiOnly: true, colonAllowedFirst: false);
        if (problem is not null)
        {
            throw new ArgumentException($"The namespace '{Shorten(@namespace)}' {problem}.", paramName);
        }

        // AWS/ is reserved for the services' own metrics; the API refuses it for custom ones.
        if (@namespace.StartsWith("AWS/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"The namespace '{@namespace}' starts with 'AWS/', which is reserved for AWS services.", paramName);
        }
    }

    public static void ValidateMetricName(string? name, string paramName)
    {
        if (name is null)
        {
            throw new ArgumentNullException(paramName, "A metric name is required.");
        }

        var problem = NameProblem(name, CloudWatchLimits.MaxNameLength, asciiOnly: false, colonAllowedFirst: true);
        if (problem is not null)
        {
            throw new ArgumentException($"The metric name '{Shorten(name)}' {problem}.", paramName);
        }
    }

    public static void ValidateDimensionName(string? name, string paramName)
    {
        var problem = name is null ? "is missing" : NameProblem(name, CloudWatchLimits.MaxNameLength, asciiOnly: true, colonAllowedFirst: false);
        if (problem is not null)
        {
            throw new ArgumentException($"The dimension name '{Shorten(name)}' {problem}.", paramName);
        }
    }

    /// <summary>Whether <paramref name="value"/> is a dimension value the service accepts.</summary>
    public static bool IsValidDimensionValue(string? value) =>
        value is not null && NameProblem(value, CloudWatchLimits.MaxDimensionValueLength, asciiOnly: true, colonAllowedFirst: true) is null;

    /// <summary>Whether <paramref name="value"/> may be sent as a value or statistic.</summary>
    public static bool IsValidValue(double value) =>
        double.IsFinite(value) && Math.Abs(value) <= CloudWatchLimits.MaxValueMagnitude;

    public static void ValidateData(IReadOnlyList<MetricDatum>? data, DateTimeOffset now, string paramName)
    {
        if (data is null)
        {
            throw new ArgumentNullException(paramName);
        }

        if (data.Count is 0 or > CloudWatchLimits.MaxDataPerRequest)
        {
            throw new ArgumentException(
                $"PutMetricData takes 1 to {CloudWatchLimits.MaxDataPerRequest} metric data per request; got {data.Count}.", paramName);
        }

        for (var i = 0; i < data.Count; i++)
        {
            ValidateDatum(data[i], now, string.Create(CultureInfo.InvariantCulture, $"{paramName}[{i}]"));
        }
    }

    private static void ValidateDatum(MetricDatum? datum, DateTimeOffset now, string path)
    {
        if (datum is null)
        {
            throw new ArgumentNullException(path, "A metric datum is null.");
        }

        ValidateMetricName(datum.MetricName, path + ".MetricName");
        ValidateDimensions(datum.Dimensions, path + ".Dimensions");

        if (!MetricUnitNames.IsDefined(datum.Unit))
        {
            throw new ArgumentException($"Unit {(int)datum.Unit} is not a CloudWatch unit.", path + ".Unit");
        }

        if (datum.Value.HasValue == datum.StatisticValues.HasValue)
        {
            throw new ArgumentException(
                $"Metric '{datum.MetricName}' needs exactly one of Value and StatisticValues.", path);
        }

        if (datum.Value is { } value && !IsValidValue(value))
        {
            throw new ArgumentException(OutOfRange("Value", value), path + ".Value");
        }

        if (datum.StatisticValues is { } stats)
        {
            ValidateStatistics(stats, path + ".StatisticValues");
        }

        if (datum.StorageResolution is { } resolution && resolution is not (1 or 60))
        {
            throw new ArgumentException($"StorageResolution must be 1 or 60; got {resolution}.", path + ".StorageResolution");
        }

        if (datum.Timestamp is { } timestamp
            && (timestamp < now - CloudWatchLimits.MaxTimestampAge || timestamp > now + CloudWatchLimits.MaxTimestampLead))
        {
            throw new ArgumentException(
                $"Timestamp {timestamp.UtcDateTime:O} is outside what CloudWatch accepts: at most two weeks before and two " +
                $"hours after now ({now.UtcDateTime:O}).",
                path + ".Timestamp");
        }
    }

    private static void ValidateDimensions(IReadOnlyList<MetricDimension>? dimensions, string path)
    {
        if (dimensions is null)
        {
            throw new ArgumentNullException(path, "Dimensions must not be null; use an empty list.");
        }

        if (dimensions.Count > CloudWatchLimits.MaxDimensions)
        {
            throw new ArgumentException(
                $"A metric takes at most {CloudWatchLimits.MaxDimensions} dimensions; got {dimensions.Count}.", path);
        }

        for (var i = 0; i < dimensions.Count; i++)
        {
            var item = string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");
            var dimension = dimensions[i];
            ValidateDimensionName(dimension.Name, item + ".Name");
            if (!IsValidDimensionValue(dimension.Value))
            {
                throw new ArgumentException(
                    $"The value of dimension '{dimension.Name}' must be 1-{CloudWatchLimits.MaxDimensionValueLength} printable " +
                    $"ASCII characters, not all spaces; got '{Shorten(dimension.Value)}'.",
                    item + ".Value");
            }

            for (var j = 0; j < i; j++)
            {
                if (dimensions[j].Name == dimension.Name)
                {
                    throw new ArgumentException($"Dimension '{dimension.Name}' appears twice.", item + ".Name");
                }
            }
        }
    }

    private static void ValidateStatistics(StatisticSet stats, string path)
    {
        foreach (var (name, value) in (ReadOnlySpan<(string, double)>)
            [("SampleCount", stats.SampleCount), ("Sum", stats.Sum), ("Minimum", stats.Minimum), ("Maximum", stats.Maximum)])
        {
            if (!IsValidValue(value))
            {
                throw new ArgumentException(OutOfRange(name, value), path + "." + name);
            }
        }

        if (stats.SampleCount <= 0)
        {
            throw new ArgumentException($"SampleCount must be more than 0; got {stats.SampleCount}.", path + ".SampleCount");
        }

        if (stats.Minimum > stats.Maximum)
        {
            throw new ArgumentException($"Minimum {stats.Minimum} is above Maximum {stats.Maximum}.", path + ".Minimum");
        }
    }

    private static string OutOfRange(string field, double value) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{field} {value} is not a finite number within -2^360 to 2^360, which is all CloudWatch accepts.");

    // Names and values must be ASCII (namespaces, dimension names and values), free of control characters,
    // not blank, and within their length; namespaces and dimension names must not start with ':'.
    private static string? NameProblem(string text, int maxLength, bool asciiOnly, bool colonAllowedFirst)
    {
        if (text.Length == 0 || text.Length > maxLength)
        {
            return $"must be 1-{maxLength} characters long (it has {text.Length})";
        }

        var blank = true;
        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return "has a control character";
            }

            if (asciiOnly && !char.IsAscii(c))
            {
                return "has a character outside ASCII";
            }

            blank &= char.IsWhiteSpace(c);
        }

        if (blank)
        {
            return "is blank";
        }

        return !colonAllowedFirst && text[0] == ':' ? "starts with ':'" : null;
    }

    private static string Shorten(string? text) =>
        text is null ? "(null)" : text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "...");
}
