using System.Globalization;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>How the Java agent's configuration reads scalars written as strings (its <c>Configuration</c> class).</summary>
internal static class JavaValues
{
    /// <summary>
    /// Java's <c>Long.decode</c> (what Guava's <c>Longs.stringConverter</c> and <c>Ints.stringConverter</c> call): an
    /// optional sign, then <c>0x</c>, <c>0X</c> or <c>#</c> and hex digits, or <c>0</c> and octal digits, or decimal
    /// digits. No spaces, no fraction, no exponent, no underscores.
    /// </summary>
    public static bool TryDecodeLong(string text, out long value)
    {
        value = 0;
        var span = text.AsSpan();
        var negative = false;
        if (span.Length > 0 && (span[0] == '-' || span[0] == '+'))
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        var radix = 10;
        if (span.StartsWith("0x", StringComparison.Ordinal) || span.StartsWith("0X", StringComparison.Ordinal))
        {
            radix = 16;
            span = span[2..];
        }
        else if (span.StartsWith("#"))
        {
            radix = 16;
            span = span[1..];
        }
        else if (span.Length > 1 && span[0] == '0')
        {
            radix = 8;
            span = span[1..];
        }

        // Java refuses a second sign after the prefix ("0x-5", "--5").
        if (span.IsEmpty || span[0] is '-' or '+')
        {
            return false;
        }

        // Accumulate negatively so that Long.MIN_VALUE decodes, as in Java.
        long result = 0;
        foreach (var c in span)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return false;
            }

            if (result < (long.MinValue + digit) / radix)
            {
                return false;
            }

            result = (result * radix) - digit;
        }

        if (!negative && result == long.MinValue)
        {
            return false;
        }

        value = negative ? result : -result;
        return true;
    }

    /// <summary>The Java agent's <c>BooleanConverter</c>: true/yes/t/y/1 or false/no/f/n/0, in any case.</summary>
    public static bool TryParseBoolean(string text, out bool value)
    {
        switch (text.ToLower(CultureInfo.InvariantCulture))
        {
            case "true" or "yes" or "t" or "y" or "1":
                value = true;
                return true;
            case "false" or "no" or "f" or "n" or "0":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }
}
