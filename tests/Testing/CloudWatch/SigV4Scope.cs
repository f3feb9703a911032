namespace Kinesis.Clients.Testing;

/// <summary>The credential scope of an <c>AWS4-HMAC-SHA256</c> Authorization header.</summary>
/// <param name="AccessKey">The access key id.</param>
/// <param name="Date">The scope date, <c>yyyyMMdd</c>.</param>
/// <param name="Region">The signing region.</param>
/// <param name="Service">The signing name, e.g. <c>monitoring</c>.</param>
internal readonly record struct SigV4Scope(string AccessKey, string Date, string Region, string Service)
{
    private const string Algorithm = "AWS4-HMAC-SHA256 ";

    /// <summary>
    /// Reads <c>AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/monitoring/aws4_request, SignedHeaders=..., Signature=...</c>;
    /// <see langword="null"/> when the header is not of that shape.
    /// </summary>
    public static SigV4Scope? TryParse(string authorization)
    {
        if (!authorization.StartsWith(Algorithm, StringComparison.Ordinal))
        {
            return null;
        }

        string? credential = null;
        var hasSignature = false;
        foreach (var part in authorization[Algorithm.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith("Credential=", StringComparison.Ordinal))
            {
                credential = part["Credential=".Length..];
            }
            else if (part.StartsWith("Signature=", StringComparison.Ordinal) && part.Length > "Signature=".Length)
            {
                hasSignature = true;
            }
        }

        var fields = credential?.Split('/');
        return fields is [var key, var date, var region, var service, "aws4_request"] && hasSignature && key.Length > 0
            ? new SigV4Scope(key, date, region, service)
            : null;
    }
}
