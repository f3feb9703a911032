using System.Globalization;
using Kinesis.Clients.CloudWatch;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Reads a form-encoded PutMetricData request as the service does, and finds the first rule it breaks, answered
/// with the error the service sends for it.
/// </summary>
internal static class PutMetricDataRequestParser
{
    public const int MaxData = 1000;
    public const int MaxDimensions = 30;

    private const string Member = "MetricData.member.";

    /// <returns>The fault to answer with, or <see langword="null"/> when the request is good.</returns>
    public static QueryProtocolFault? TryParse(string body, out string @namespace, out List<MetricDatum> data)
    {
        @namespace = "";
        data = [];
        var form = ReadForm(body);

        if (!form.TryGetValue("Action", out var action) || action != "PutMetricData")
        {
            return new(System.Net.HttpStatusCode.BadRequest, "InvalidAction",
                $"Could not find operation {action} for version {form.GetValueOrDefault("Version")}");
        }

        if (form.GetValueOrDefault("Version") != "2010-08-01")
        {
            return QueryProtocolFault.InvalidValue("Version", form.GetValueOrDefault("Version") ?? "(none)");
        }

        if (!form.TryGetValue("Namespace", out var ns) || ns.Length == 0)
        {
            return QueryProtocolFault.MissingParameter("Namespace");
        }

        if (ns.Length > 255 || ns.StartsWith(':') || ns.StartsWith("AWS/", StringComparison.Ordinal))
        {
            return QueryProtocolFault.InvalidValue("Namespace", ns);
        }

        @namespace = ns;
        var members = Indexes(form.Keys, Member);
        if (members.Count == 0)
        {
            return QueryProtocolFault.MissingParameter("MetricData");
        }

        if (members.Count > MaxData)
        {
            return QueryProtocolFault.TooMany("MetricData", MaxData);
        }

        foreach (var n in members)
        {
            var fault = TryParseDatum(form, string.Create(CultureInfo.InvariantCulture, $"{Member}{n}."), out var datum);
            if (fault is not null)
            {
                return fault;
            }

            data.Add(datum!);
        }

        return null;
    }

    private static QueryProtocolFault? TryParseDatum(Dictionary<string, string> form, string prefix, out MetricDatum? datum)
    {
        datum = null;
        if (!form.TryGetValue(prefix + "MetricName", out var name) || name.Length == 0)
        {
            return QueryProtocolFault.MissingParameter(prefix + "MetricName");
        }

        var dimensionIndexes = Indexes(form.Keys, prefix + "Dimensions.member.");
        if (dimensionIndexes.Count > MaxDimensions)
        {
            return QueryProtocolFault.TooMany(prefix + "Dimensions", MaxDimensions);
        }

        var dimensions = new List<MetricDimension>();
        foreach (var d in dimensionIndexes)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"{prefix}Dimensions.member.{d}.");
            if (!form.TryGetValue(at + "Name", out var dimensionName) || dimensionName.Length == 0)
            {
                return QueryProtocolFault.MissingParameter(at + "Name");
            }

            if (!form.TryGetValue(at + "Value", out var dimensionValue) || dimensionValue.Length == 0)
            {
                return QueryProtocolFault.MissingParameter(at + "Value");
            }

            if (dimensionName.Length > 255 || dimensionValue.Length > 1024)
            {
                return QueryProtocolFault.InvalidValue(at + (dimensionName.Length > 255 ? "Name" : "Value"), "(too long)");
            }

            dimensions.Add(new MetricDimension(dimensionName, dimensionValue));
        }

        var unit = MetricUnit.None;
        if (form.TryGetValue(prefix + "Unit", out var unitText) && !MetricUnitNames.TryParse(unitText, out unit))
        {
            return QueryProtocolFault.InvalidParameterValue(
                $"The parameter {prefix}Unit must be a value in the set [ {string.Join(", ", MetricUnitNames.All)} ].");
        }

        if (form.Keys.Any(k => k.StartsWith(prefix + "Values.", StringComparison.Ordinal) || k.StartsWith(prefix + "Counts.", StringComparison.Ordinal)))
        {
            return QueryProtocolFault.InvalidParameterValue($"{prefix}Values and Counts are not supported by this loopback endpoint.");
        }

        var hasValue = form.ContainsKey(prefix + "Value");
        var hasStatistics = form.Keys.Any(k => k.StartsWith(prefix + "StatisticValues.", StringComparison.Ordinal));
        if (hasValue && hasStatistics)
        {
            return new(System.Net.HttpStatusCode.BadRequest, "InvalidParameterCombination",
                $"The parameters {prefix}Value and {prefix}StatisticValues are mutually exclusive and you have specified both.");
        }

        if (!hasValue && !hasStatistics)
        {
            return QueryProtocolFault.MissingParameter(prefix + "Value");
        }

        var numbers = new double[5];
        string[] fields = ["Value", "StatisticValues.SampleCount", "StatisticValues.Sum", "StatisticValues.Minimum", "StatisticValues.Maximum"];
        for (var i = 0; i < fields.Length; i++)
        {
            var fault = TryNumber(form, prefix + fields[i], i == 0 ? hasValue : hasStatistics, out numbers[i]);
            if (fault is not null)
            {
                return fault;
            }
        }

        DateTimeOffset? timestamp = null;
        if (form.TryGetValue(prefix + "Timestamp", out var timestampText))
        {
            if (!DateTimeOffset.TryParse(timestampText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return QueryProtocolFault.InvalidValue(prefix + "Timestamp", timestampText);
            }

            timestamp = parsed.ToUniversalTime();
        }

        int? resolution = null;
        if (form.TryGetValue(prefix + "StorageResolution", out var resolutionText))
        {
            if (resolutionText is not ("1" or "60"))
            {
                return QueryProtocolFault.InvalidValue(prefix + "StorageResolution", resolutionText);
            }

            resolution = int.Parse(resolutionText, CultureInfo.InvariantCulture);
        }

        datum = new MetricDatum(name)
        {
            Dimensions = dimensions,
            Unit = unit,
            Timestamp = timestamp,
            Value = hasValue ? numbers[0] : null,
            StatisticValues = hasStatistics ? new StatisticSet(numbers[1], numbers[2], numbers[3], numbers[4]) : null,
            StorageResolution = resolution,
        };
        return null;
    }

    private static QueryProtocolFault? TryNumber(Dictionary<string, string> form, string key, bool required, out double value)
    {
        value = 0;
        if (!required)
        {
            return null;
        }

        if (!form.TryGetValue(key, out var text))
        {
            return QueryProtocolFault.MissingParameter(key);
        }

        // The service refuses NaN, infinities and magnitudes beyond 2^360.
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value)
            || !double.IsFinite(value) || Math.Abs(value) > Math.Pow(2, 360))
        {
            return QueryProtocolFault.InvalidValue(key, text);
        }

        return null;
    }

    /// <summary>The distinct member numbers N of keys <c>{prefix}N.…</c>, ascending.</summary>
    private static List<int> Indexes(IEnumerable<string> keys, string prefix)
    {
        var found = new SortedSet<int>();
        foreach (var key in keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var rest = key.AsSpan(prefix.Length);
            var dot = rest.IndexOf('.');
            if (dot > 0 && int.TryParse(rest[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                found.Add(n);
            }
        }

        return [.. found];
    }

    private static Dictionary<string, string> ReadForm(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(equals < 0 ? pair : pair[..equals]);
            form[key] = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
        }

        return form;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
