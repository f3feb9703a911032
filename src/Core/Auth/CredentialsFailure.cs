using Amazon.Runtime;

namespace Kinesis.Clients.Auth;

/// <summary>Turns a failure to obtain credentials into a retryable <see cref="AwsCredentialsException"/> that says what to fix.</summary>
internal static class CredentialsFailure
{
    /// <param name="credentials">The provider that failed.</param>
    /// <param name="service">The signing name of the request that could not be signed, e.g. <c>kinesis</c>.</param>
    /// <param name="failure">What the provider threw.</param>
    public static AwsCredentialsException From(AWSCredentials credentials, string service, Exception failure)
    {
        // A refused or unreachable STS, an expired SSO session or a missing token file can all be put right while
        // the program runs, so callers wait and retry rather than drop what they hold.
        // The SDK wraps the service's answer ("Error calling AssumeRole for role ..."); its code and message say more.
        var answer = ServiceAnswer(failure);
        var details = new AwsErrorDetails(service, "GetCredentials", AwsCredentialsException.Code,
            answer?.StatusCode, null, IsRetryable: true, IsThrottling: false);
        var cause = answer is { ErrorCode: { Length: > 0 } code } ? $"{code}: {answer.Message}" : failure.Message;
        return new AwsCredentialsException(details, $"AWS credentials from {Describe(credentials)} could not be obtained ({cause}). {Advice(credentials)}", failure);
    }

    private static AmazonServiceException? ServiceAnswer(Exception failure)
    {
        for (Exception? e = failure; e is not null; e = e.InnerException)
        {
            if (e is AmazonServiceException answer)
            {
                return answer;
            }
        }

        return null;
    }

    private static string Describe(AWSCredentials credentials) => credentials switch
    {
        AssumeRoleAWSCredentials role => $"assuming role {role.RoleArn}",
        AssumeRoleWithWebIdentityCredentials web => $"web identity token {web.WebIdentityTokenFile} for role {web.RoleArn}",
        SSOAWSCredentials sso => $"SSO account {sso.AccountId} role {sso.RoleName}",
        _ => credentials.GetType().Name,
    };

    private static string Advice(AWSCredentials credentials) => credentials switch
    {
        AssumeRoleAWSCredentials => "Check that the source credentials may call sts:AssumeRole on the role, that the role's " +
            "trust policy names them (and the external id, if one is set), and that the STS endpoint (sts.endpoint, " +
            "AWS_ENDPOINT_URL_STS) is reachable.",
        AssumeRoleWithWebIdentityCredentials => "Check that the token file (AWS_WEB_IDENTITY_TOKEN_FILE) exists and is current, " +
            "that the role (AWS_ROLE_ARN) trusts its identity provider, and that STS is reachable.",
        SSOAWSCredentials => "Sign in again (aws sso login) or check the profile's sso_* settings.",
        _ => "Check the credentials this program finds (options, AWS_* variables, profile, container or instance role).",
    };
}
