namespace Kinesis.Clients.Testing;

/// <summary>One credentials request <see cref="LoopbackSts"/> answered with temporary credentials.</summary>
/// <param name="Action">
/// <c>AssumeRole</c>, <c>AssumeRoleWithWebIdentity</c> (STS query protocol), <c>GetRoleCredentials</c> (SSO portal),
/// <c>ContainerCredentials</c> or <c>InstanceMetadata</c>.
/// </param>
/// <param name="SignedBy">The access key id in the SigV4 Authorization header; <see langword="null"/> for unsigned calls.</param>
/// <param name="RoleArn">The role asked for (for SSO: <c>account_id/role_name</c>).</param>
/// <param name="RoleSessionName">The session name, when sent.</param>
/// <param name="ExternalId">The external id, when sent.</param>
/// <param name="DurationSeconds">The session duration asked for, when sent.</param>
/// <param name="Token">The web identity token, the SSO bearer token, the container Authorization header, or the IMDSv2 token.</param>
/// <param name="Issued">The temporary credentials answered.</param>
public sealed record StsCall(
    string Action,
    string? SignedBy,
    string RoleArn,
    string? RoleSessionName,
    string? ExternalId,
    int? DurationSeconds,
    string? Token,
    IssuedCredentials Issued);

/// <summary>Temporary credentials issued by <see cref="LoopbackSts"/>.</summary>
/// <param name="AccessKeyId">An <c>ASIA...</c> key id, unique per call.</param>
/// <param name="SecretAccessKey">Its secret.</param>
/// <param name="SessionToken">Its session token.</param>
/// <param name="Expiration">When they expire.</param>
public sealed record IssuedCredentials(string AccessKeyId, string SecretAccessKey, string SessionToken, DateTimeOffset Expiration)
{
    internal static IssuedCredentials Create(TimeSpan lifetime)
    {
        const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var key = "ASIA" + string.Concat(Enumerable.Range(0, 16).Select(_ => Letters[Random.Shared.Next(Letters.Length)]));
        return new IssuedCredentials(key, Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "secret",
            "session-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow + lifetime);
    }
}
