using System.Globalization;
using System.Text;

namespace Kinesis.Clients.CloudWatch;

/// <summary>
/// Writes a PutMetricData request in the AWS query protocol: a form-encoded body
/// (<c>Action=PutMetricData&amp;Version=2010-08-01&amp;Namespace=...&amp;MetricData.member.1.MetricName=...</c>),
/// every name and value percent-encoded as RFC 3986 asks, so the body is plain ASCII and its length in
/// characters is its length in bytes.
/// </summary>
internal static class PutMetricDataForm
{
    public const string Action = "PutMetricData";
    public const string Version = "2010-08-01";

    /// <summary>The body for <paramref name="data"/>, already validated.</summary>
    public static byte[] Encode(string @namespace, IReadOnlyList<MetricDatum> data)
    {
        var form = new StringBuilder(256 + (data.Count * 256));
        AppendHeader(form, @namespace);
        for (var i = 0; i < data.Count; i++)
        {
            AppendDatum(form, data[i], i + 1);
        }

        return Encoding.ASCII.GetBytes(form.ToString());
    }

    /// <summary>Bytes taken by the action, version and namespace.</summary>
    public static int HeaderLength(string @namespace) => AppendHeader(new StringBuilder(64), @namespace).Length;

    /// <summary>Bytes taken by <paramref name="datum"/> as member <paramref name="member"/> (1-based) of the request.</summary>
    public static int DatumLength(MetricDatum datum, int member) => AppendDatum(new StringBuilder(256), datum, member).Length;

    private static StringBuilder AppendHeader(StringBuilder form, string @namespace)
    {
        form.Append("Action=").Append(Action).Append("&Version=").Append(Version);
        Append(form, "Namespace", @namespace);
        return form;
    }

    private static StringBuilder AppendDatum(StringBuilder form, MetricDatum datum, int member)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"MetricData.member.{member}.");
        Append(form, prefix, "MetricName", datum.MetricName);
        for (var i = 0; i < datum.Dimensions.Count; i++)
        {
            var dimension = string.Create(CultureInfo.InvariantCulture, $"{prefix}Dimensions.member.{i + 1}.");
            Append(form, dimension, "Name", datum.Dimensions[i].Name);
            Append(form, dimension, "Value", datum.Dimensions[i].Value);
        }

        if (datum.Timestamp is { } timestamp)
        {
            Append(form, prefix, "Timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        }

        if (datum.Value is { } value)
        {
            Append(form, prefix, "Value", Number(value));
        }

        if (datum.StatisticValues is { } stats)
        {
            Append(form, prefix, "StatisticValues.SampleCount", Number(stats.SampleCount));
            Append(form, prefix, "StatisticValues.Sum", Number(stats.Sum));
            Append(form, prefix, "StatisticValues.Minimum", Number(stats.Minimum));
            Append(form, prefix, "StatisticValues.Maximum", Number(stats.Maximum));
        }

        Append(form, prefix, "Unit", MetricUnitNames.ToWire(datum.Unit));
        if (datum.StorageResolution is { } resolution)
        {
            Append(form, prefix, "StorageResolution", resolution.ToString(CultureInfo.InvariantCulture));
        }

        return form;
    }

    // The shortest text that parses back to the same double ("0.1", "1E+100"), which Java's parser, the service's,
    // reads too.
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static void Append(StringBuilder form, string name, string value) =>
        form.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));

    private static void Append(StringBuilder form, string prefix, string name, string value) =>
        form.Append('&').Append(prefix).Append(name).Append('=').Append(Uri.EscapeDataString(value));
}
