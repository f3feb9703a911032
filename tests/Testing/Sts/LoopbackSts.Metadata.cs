using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>Container credentials and EC2 instance metadata (IMDSv2), which issue credentials without STS.</summary>
public sealed partial class LoopbackSts
{
    private const string MetadataRole = "loopback-instance-role";
    private const string CredentialsPath = "/latest/meta-data/iam/security-credentials/";
    private readonly string _metadataToken = "imds-" + Guid.NewGuid().ToString("N");
    private int _identityReads;

    /// <summary>The value for <c>AWS_CONTAINER_CREDENTIALS_FULL_URI</c> (the SDK allows loopback hosts over http).</summary>
    public Uri ContainerCredentialsUri => new(Endpoint, "container/credentials");

    /// <summary>The value for <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>.</summary>
    public Uri MetadataEndpoint => Endpoint;

    /// <summary>
    /// What <c>/latest/dynamic/instance-identity/document</c> answers (IMDSv2 token required); an EC2 document's fields
    /// by default. Set it to change the identity between reads.
    /// </summary>
    public string InstanceIdentityDocument { get; set; } =
        "{\n  \"accountId\" : \"123456789012\",\n  \"architecture\" : \"x86_64\",\n  \"availabilityZone\" : \"eu-west-1a\",\n" +
        "  \"billingProducts\" : null,\n  \"imageId\" : \"ami-0abcdef1234567890\",\n  \"instanceId\" : \"i-0123456789abcdef0\",\n" +
        "  \"instanceType\" : \"m5.large\",\n  \"kernelId\" : null,\n  \"pendingTime\" : \"2024-04-30T08:00:00Z\",\n" +
        "  \"privateIp\" : \"10.0.0.12\",\n  \"ramdiskId\" : null,\n  \"region\" : \"eu-west-1\",\n  \"version\" : \"2017-09-30\"\n}";

    /// <summary>How many times the identity document was read with a valid token.</summary>
    public int InstanceIdentityReads => Volatile.Read(ref _identityReads);

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

        if (path == "/latest/dynamic/instance-identity/document")
        {
            Interlocked.Increment(ref _identityReads);
            await WriteJsonAsync(context, InstanceIdentityDocument).ConfigureAwait(false);
        }
        // The SDK asks for the role list with or without the trailing slash.
        else if (path.TrimEnd('/') == CredentialsPath.TrimEnd('/'))
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
