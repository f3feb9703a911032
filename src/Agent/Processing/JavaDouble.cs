using System.Globalization;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// Formats a double as Java's <c>Double.toString</c> (which Jackson uses for floating-point metadata values):
/// plain notation with at least one decimal between 10^-3 and 10^7 (<c>100.0</c>, <c>0.001</c>), else
/// <c>1.0E10</c> style. Digits are the shortest that round-trip, as since JDK 19.
/// </summary>
internal static class JavaDouble
{
    /// <summary>The Java text of <paramref name="value"/>.</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        var (digits, exponent) = Decompose(Math.Abs(value));
        var sign = value < 0 ? "-" : string.Empty;
        var scientific = exponent - 1;
        if (scientific is >= -3 and < 7)
        {
            if (exponent > 0)
            {
                var whole = digits.Length >= exponent ? digits[..exponent] : digits.PadRight(exponent, '0');
                var fraction = digits.Length > exponent ? digits[exponent..] : "0";
                return $"{sign}{whole}.{fraction}";
            }

            return $"{sign}0.{new string('0', -exponent)}{digits}";
        }

        var rest = digits.Length > 1 ? digits[1..] : "0";
        return $"{sign}{digits[0]}.{rest}E{scientific.ToString(CultureInfo.InvariantCulture)}";
    }

    // The shortest round-trip digits without leading or trailing zeros, and the exponent e of 0.digits x 10^e.
    private static (string Digits, int Exponent) Decompose(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var e = text.IndexOfAny(['E', 'e']);
        var power = e < 0 ? 0 : int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? text : text[..e];
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var exponent = (point < 0 ? mantissa.Length : point) + power;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        return (digits, exponent - leading);
    }
}
