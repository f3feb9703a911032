using Amazon;
using Amazon.Runtime.CredentialManagement;

namespace Kinesis.Clients.Endpoints;

/// <summary>
/// Finds the AWS region a client talks to, in the order the AWS SDKs and CLI use.
/// </summary>
public static class AwsRegionResolver
{
    /// <summary>The variable the AWS SDKs read for the region.</summary>
    public const string RegionVariable = "AWS_REGION";

    /// <summary>The variable the AWS CLI reads for the region; honoured after <see cref="RegionVariable"/>.</summary>
    public const string DefaultRegionVariable = "AWS_DEFAULT_REGION";

    /// <summary>The variable naming the shared config profile.</summary>
    public const string ProfileVariable = "AWS_PROFILE";

    /// <summary>
    /// Returns, lower-cased, the first region set in: <paramref name="explicitRegion"/>, <c>AWS_REGION</c>,
    /// <c>AWS_DEFAULT_REGION</c>, then the <c>region</c> of the shared config profile (<c>AWS_PROFILE</c>, else
    /// <see cref="AWSConfigs.AWSProfileName"/>, else <c>default</c>) as AWSSDK.Core reads it. Blank values count as
    /// unset. Instance metadata is not asked: it would put a network call with a long timeout on every client
    /// that runs off EC2.
    /// </summary>
    /// <param name="explicitRegion">The region from the client's options, or <see langword="null"/>.</param>
    /// <param name="environment">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    /// <param name="optionName">The option <paramref name="explicitRegion"/> came from, for error messages.</param>
    /// <exception cref="ArgumentException">A region is set but is not a plausible region name.</exception>
    /// <exception cref="InvalidOperationException">No region is set anywhere.</exception>
    public static string Resolve(string? explicitRegion, Func<string, string?>? environment = null, string optionName = "Region") =>
        Resolve(explicitRegion, environment ?? Environment.GetEnvironmentVariable, SharedConfigRegion, optionName);

    /// <summary>The region of one profile in <paramref name="profiles"/>, or <see langword="null"/>.</summary>
    internal static string? ProfileRegion(ICredentialProfileSource profiles, string profileName)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        return profiles.TryGetProfile(profileName, out var profile) ? profile.Region?.SystemName : null;
    }

    /// <summary>As <see cref="Resolve(string?, Func{string, string?}?, string)"/>, with the profile lookup supplied.</summary>
    internal static string Resolve(
        string? explicitRegion,
        Func<string, string?> environment,
        Func<string, string?> profileRegion,
        string optionName = "Region")
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(profileRegion);

        if (!string.IsNullOrWhiteSpace(explicitRegion))
        {
            return Validate(explicitRegion, $"option {optionName}", optionName);
        }

        foreach (var variable in (ReadOnlySpan<string>)[RegionVariable, DefaultRegionVariable])
        {
            var value = environment(variable);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return Validate(value, $"environment variable {variable}", variable);
            }
        }

        var profile = ProfileName(environment);
        var fromProfile = profileRegion(profile);
        if (!string.IsNullOrWhiteSpace(fromProfile))
        {
            return Validate(fromProfile, $"shared config profile '{profile}'", ProfileVariable);
        }

        throw new InvalidOperationException(
            $"No AWS region is configured: set the {optionName} option, the {RegionVariable} or " +
            $"{DefaultRegionVariable} environment variable, or 'region' in profile '{profile}' of the shared " +
            "config file (~/.aws/config).");
    }

    private static string ProfileName(Func<string, string?> environment)
    {
        var fromEnvironment = environment(ProfileVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }

        var configured = AWSConfigs.AWSProfileName;
        return string.IsNullOrWhiteSpace(configured) ? "default" : configured.Trim();
    }

    // The region becomes part of a host name and of the signing scope, so only the characters region names use
    // are let through; a typo like "us east 1" fails here with its source named, not later as a DNS error.
    private static string Validate(string region, string source, string parameterName)
    {
        var trimmed = region.Trim();
        foreach (var c in trimmed)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                throw new ArgumentException(
                    $"The AWS region '{region}' from {source} is not a region name (letters, digits and '-', e.g. us-east-1).",
                    parameterName);
            }
        }

        // Region names are lower case; the signing scope must match the service's exactly.
        return trimmed.ToLowerInvariant();
    }

    // AWSSDK.Core's reader of ~/.aws/config and ~/.aws/credentials, the one its own region and credential chains
    // use. It takes AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE as they were when AWSSDK.Core first looked.
    private static string? SharedConfigRegion(string profileName) =>
        ProfileRegion(new CredentialProfileStoreChain(), profileName);
}
