using Amazon;

namespace Kinesis.Clients.Endpoints;

/// <summary>
/// Finds the endpoint a client sends its requests to, in the order the AWS SDKs use.
/// </summary>
public static class AwsEndpointResolver
{
    /// <summary>The variable setting one endpoint for every service.</summary>
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";

    /// <summary>The prefix of the per-service variables, e.g. <c>AWS_ENDPOINT_URL_KINESIS</c>.</summary>
    public const string ServiceEndpointVariablePrefix = "AWS_ENDPOINT_URL_";

    /// <summary>The variable that, set to <c>true</c>, makes the endpoint variables be ignored.</summary>
    public const string IgnoreConfiguredEndpointsVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    /// <summary>
    /// Returns the first of: <paramref name="explicitEndpoint"/>; <c>AWS_ENDPOINT_URL_{serviceEnvName}</c>;
    /// <c>AWS_ENDPOINT_URL</c>; the regional endpoint <c>https://{endpointPrefix}.{region}.{dnsSuffix}/</c>, where the
    /// DNS suffix is that of the region's partition (<c>amazonaws.com</c>, <c>amazonaws.com.cn</c> for China, ...).
    /// The two variables are skipped when <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is <c>true</c>; blank values
    /// count as unset.
    /// </summary>
    /// <param name="serviceEnvName">The service part of the variable name: <c>KINESIS</c>, <c>DYNAMODB</c>, <c>CLOUDWATCH</c>.</param>
    /// <param name="endpointPrefix">The service's host prefix: <c>kinesis</c>, <c>dynamodb</c>, <c>monitoring</c>.</param>
    /// <param name="explicitEndpoint">The endpoint from the client's options, or <see langword="null"/>.</param>
    /// <param name="region">The resolved region, used for the regional endpoint.</param>
    /// <param name="environment">Reads an environment variable; <see cref="Environment.GetEnvironmentVariable(string)"/> by default.</param>
    /// <param name="optionName">The option <paramref name="explicitEndpoint"/> came from, for error messages.</param>
    /// <exception cref="ArgumentException">
    /// The chosen endpoint is not an absolute http or https URI with a host and no query or fragment; the message
    /// and <see cref="ArgumentException.ParamName"/> name the option or variable it came from.
    /// </exception>
    public static Uri Resolve(
        string serviceEnvName,
        string endpointPrefix,
        Uri? explicitEndpoint,
        string region,
        Func<string, string?>? environment = null,
        string optionName = "Endpoint")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceEnvName);
        ArgumentException.ThrowIfNullOrWhiteSpace(endpointPrefix);

        if (explicitEndpoint is not null)
        {
            return Validate(explicitEndpoint, explicitEndpoint.OriginalString, $"option {optionName}", optionName);
        }

        environment ??= Environment.GetEnvironmentVariable;
        if (!IsTrue(environment(IgnoreConfiguredEndpointsVariable)))
        {
            foreach (var variable in (ReadOnlySpan<string>)[ServiceEndpointVariablePrefix + serviceEnvName, GlobalEndpointVariable])
            {
                var value = environment(variable);
                if (!string.IsNullOrWhiteSpace(value))
                {
                    var source = $"environment variable {variable}";
                    return Uri.TryCreate(value.Trim(), UriKind.Absolute, out var parsed)
                        ? Validate(parsed, value, source, variable)
                        : throw Invalid(value, source, variable);
                }
            }
        }

        return Regional(endpointPrefix, region);
    }

    private static Uri Regional(string endpointPrefix, string region)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        foreach (var c in region)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-')
            {
                throw new ArgumentException($"The region '{region}' cannot be part of an endpoint host name.", nameof(region));
            }
        }

        // AWSSDK.Core's partition table knows each partition's DNS suffix and matches regions it has not heard of
        // by pattern (any cn-* is aws-cn), so new regions work without an update here.
        var dnsSuffix = RegionEndpoint.GetBySystemName(region).PartitionDnsSuffix;
        return new Uri($"https://{endpointPrefix}.{region}.{dnsSuffix}/", UriKind.Absolute);
    }

    private static bool IsTrue(string? value) =>
        value is not null && value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase);

    // A scheme-less "localhost:4566" parses as an absolute URI with scheme "localhost", and "/x" as a file URI on
    // Unix, so the scheme check is what catches the common mistakes.
    private static Uri Validate(Uri endpoint, string text, string source, string parameterName)
    {
        var valid = endpoint.IsAbsoluteUri
            && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps)
            && endpoint.Host.Length > 0
            && endpoint.UserInfo.Length == 0
            && endpoint.Query.Length == 0
            && endpoint.Fragment.Length == 0;
        return valid ? endpoint : throw Invalid(text, source, parameterName);
    }

    private static ArgumentException Invalid(string text, string source, string parameterName) =>
        new($"The endpoint '{text}' from {source} is not an absolute http or https URI with a host and no " +
            "user info, query or fragment (e.g. http://localhost:4566 or https://kinesis.us-east-1.amazonaws.com).",
            parameterName);
}
