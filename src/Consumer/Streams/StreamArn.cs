using System.Text.RegularExpressions;

namespace Kinesis.Clients.Consumer;

/// <summary>A Kinesis stream ARN, <c>arn:{partition}:kinesis:{region}:{account}:stream/{name}</c>, as the KCL accepts it.</summary>
internal sealed partial record StreamArn(string Partition, string Region, string AccountId, string StreamName)
{
    /// <summary>The ARN's text.</summary>
    public override string ToString() => $"arn:{Partition}:kinesis:{Region}:{AccountId}:stream/{StreamName}";

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StreamArn? arn)
    {
        arn = null;
        if (text is null || ArnPattern().Match(text) is not { Success: true } match || !IsValidName(match.Groups["name"].Value))
        {
            return false;
        }

        arn = new StreamArn(match.Groups["partition"].Value, match.Groups["region"].Value, match.Groups["account"].Value, match.Groups["name"].Value);
        return true;
    }

    /// <summary>Kinesis stream names: 1 to 128 characters of a-z, A-Z, 0-9, '_', '.', '-'.</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: >= 1 and <= 128 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    public static void ValidateName(string? name, string parameter)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException($"A stream name is 1 to 128 characters of a-z, A-Z, 0-9, '_', '.', '-'; got '{name}'.", parameter);
        }
    }

    // The KCL's pattern: any aws partition, a region id, a 12-digit account.
    [GeneratedRegex("^arn:(?<partition>aws[^:]*):kinesis:(?<region>[-a-z0-9]+):(?<account>[0-9]{12}):stream/(?<name>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ArnPattern();
}
