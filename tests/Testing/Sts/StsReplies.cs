using System.Globalization;
using System.Security;

namespace Kinesis.Clients.Testing;

/// <summary>The documents STS (query protocol, 2011-06-15) and the SSO portal (REST JSON) answer.</summary>
internal static class StsReplies
{
    public const string Namespace = "https://sts.amazonaws.com/doc/2011-06-15/";

    public static string AssumeRole(StsCall call, string requestId) =>
        $"<AssumeRoleResponse xmlns=\"{Namespace}\">\n  <AssumeRoleResult>\n" +
        Credentials(call.Issued) + AssumedRoleUser(call) +
        $"  </AssumeRoleResult>\n  <ResponseMetadata>\n    <RequestId>{requestId}</RequestId>\n  </ResponseMetadata>\n</AssumeRoleResponse>\n";

    public static string AssumeRoleWithWebIdentity(StsCall call, string requestId) =>
        $"<AssumeRoleWithWebIdentityResponse xmlns=\"{Namespace}\">\n  <AssumeRoleWithWebIdentityResult>\n" +
        "    <SubjectFromWebIdentityToken>system:serviceaccount:default:kinesis-agent</SubjectFromWebIdentityToken>\n" +
        "    <Audience>sts.amazonaws.com</Audience>\n    <Provider>oidc.loopback</Provider>\n" +
        Credentials(call.Issued) + AssumedRoleUser(call) +
        $"  </AssumeRoleWithWebIdentityResult>\n  <ResponseMetadata>\n    <RequestId>{requestId}</RequestId>\n  </ResponseMetadata>\n" +
        "</AssumeRoleWithWebIdentityResponse>\n";

    /// <summary>GetRoleCredentials: the expiration in epoch milliseconds, as the portal sends it.</summary>
    public static string RoleCredentials(IssuedCredentials issued) =>
        "{\"roleCredentials\":{" +
        $"\"accessKeyId\":\"{issued.AccessKeyId}\",\"secretAccessKey\":\"{issued.SecretAccessKey}\"," +
        $"\"sessionToken\":\"{issued.SessionToken}\",\"expiration\":{issued.Expiration.ToUnixTimeMilliseconds()}" + "}}";

    private static string Credentials(IssuedCredentials issued) =>
        $"    <Credentials>\n      <AccessKeyId>{issued.AccessKeyId}</AccessKeyId>\n" +
        $"      <SecretAccessKey>{SecurityElement.Escape(issued.SecretAccessKey)}</SecretAccessKey>\n" +
        $"      <SessionToken>{issued.SessionToken}</SessionToken>\n" +
        $"      <Expiration>{issued.Expiration.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture)}</Expiration>\n" +
        "    </Credentials>\n";

    private static string AssumedRoleUser(StsCall call)
    {
        var role = call.RoleArn[(call.RoleArn.LastIndexOf('/') + 1)..];
        var session = call.RoleSessionName ?? "session";
        return $"    <AssumedRoleUser>\n      <Arn>arn:aws:sts::000000000000:assumed-role/{SecurityElement.Escape(role)}/{SecurityElement.Escape(session)}</Arn>\n" +
            $"      <AssumedRoleId>AROALOOPBACK:{SecurityElement.Escape(session)}</AssumedRoleId>\n    </AssumedRoleUser>\n";
    }
}
