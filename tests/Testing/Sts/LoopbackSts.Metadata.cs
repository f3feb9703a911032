using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>Container credentials and EC2 instance metadata (IMDSv2), which issue credentials without STS.</summary>
public sealed partial class LoopbackSts
{
    private const string MetadataRole = "loopback-instance-role";
    private const string CredentialsPath = "/latest/meta-data/iam/security-credentials/";
    private readonly string _metadataToken = "imds-" + Guid.NewGuid().ToString("N");

    /// <summary>The value for <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> (the SDK allows loopback hosts over http).</summary>
    public Uri ContainerCredentialsUri => new(Endpoint, "container/credentials");

    /// <summary>The value for <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>.</summary>
    public Uri MetadataEndpoint => Endpoint;

    // Recorded actions: ContainerCredentials (Token: the Authorization header) and InstanceMetadata (Token: the
    // IMDSv2 session token, which every credentials read must carry).
    private async Task<bool> TryMetadataAsync(HttpContext context)
    {
        var request = context.Request;
        // The SDK joins AWS_EC2_METADATA_SERVICE_ENDPOINT and the path with a slash of its own ("//latest/...").
        var path = "/" + (request.Path.Value ?? "").TrimStart('/');
        if (HttpMethods.IsGet(request.Method) && path == "/container/credentials")
        {
            var issued = IssuedCredentials.Create(DefaultLifetime);
            Accept(new StsCall("ContainerCredentials", null, "container", null, null, null, request.Headers.Authorization.ToString(), issued));
            await WriteJsonAsync(context, CredentialsJson(issued, extra: "")).ConfigureAwait(false);
            return true;
        }

        if (HttpMethods.IsPut(request.Method) && path == "/latest/api/token")
        {
            if (request.Headers["X-aws-ec2-metadata-token-ttl-seconds"].Count == 0)
            {
                Reject("MissingTokenTtl");
                context.Response.StatusCode = 400;
                return true;
            }

            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(_metadataToken).ConfigureAwait(false);
            return true;
        }

        if (!HttpMethods.IsGet(request.Method) || !path.StartsWith("/latest/", StringComparison.Ordinal))
        {
            return false;
        }

        var token = request.Headers["X-aws-ec2-metadata-token"].ToString();
        if (token != _metadataToken)
        {
            Reject("Unauthorized");
            context.Response.StatusCode = 401;
            return true;
        }

        // The SDK asks for the role list with or without the trailing slash.
        if (path.TrimEnd('/') == CredentialsPath.TrimEnd('/'))
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync(MetadataRole).ConfigureAwait(false);
        }
        else if (path == CredentialsPath + MetadataRole)
        {
            var issued = IssuedCredentials.Create(DefaultLifetime);
            Accept(new StsCall("InstanceMetadata", null, MetadataRole, null, null, null, token, issued));
            var updated = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            await WriteJsonAsync(context, CredentialsJson(issued, $"\"Code\":\"Success\",\"LastUpdated\":\"{updated}\",\"Type\":\"AWS-HMAC\",")).ConfigureAwait(false);
        }
        else
        {
            // Anything else the SDK may try first (e.g. the extended credentials path) is absent, as on older hosts.
            Reject("NotFound " + path);
            context.Response.StatusCode = 404;
        }

        return true;
    }

    private static string CredentialsJson(IssuedCredentials issued, string extra) =>
        "{" + extra +
        $"\"AccessKeyId\":\"{issued.AccessKeyId}\",\"SecretAccessKey\":\"{issued.SecretAccessKey}\",\"Token\":\"{issued.SessionToken}\"," +
        $"\"Expiration\":\"{issued.Expiration.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}\"" + "}";

    private static async Task WriteJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json).ConfigureAwait(false);
    }
}
