namespace Kinesis.Clients.Tests.Auth;

/// <summary>
/// Published SigV4 examples: the AWS Signature Version 4 test suite (aws-sig-v4-test-suite, 2015-08-30, as also
/// carried by aws-sdk-js-v3's signature-v4 fixture and aws-c-auth's aws-signing-test-suite/v4) and the IAM ListUsers
/// examples of the AWS General Reference's "Signature Version 4 signing process" pages.
/// </summary>
internal static class SigV4Vectors
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string SuiteRegion = "us-east-1";
    public const string SuiteService = "service";
    public static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    public const string SuiteScope = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";

    // post-sts-header-before: a session token sent as a header and signed.
    public const string SuiteSessionToken =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

    public const string SessionTokenSignature = "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead";

    /// <summary>A test-suite case: method, URI, extra headers as "name:value", content type, body, signed headers, signature.</summary>
    public sealed record Case(
        string Name,
        string Method,
        string Uri,
        string[] Headers,
        string? ContentType,
        string Body,
        string SignedHeaders,
        string Signature)
    {
        public override string ToString() => Name;
    }

    private const string Example = "https://example.amazonaws.com";
    private const string Unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static readonly Case[] Suite =
    [
        new("get-vanilla", "GET", Example + "/", [], null, "", "host;x-amz-date",
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        new("post-vanilla", "POST", Example + "/", [], null, "", "host;x-amz-date",
            "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        new("post-x-www-form-urlencoded", "POST", Example + "/", [], "application/x-www-form-urlencoded", "Param1=value1",
            "content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
        new("post-x-www-form-urlencoded-parameters", "POST", Example + "/", [], "application/x-www-form-urlencoded; charset=utf8",
            "Param1=value1", "content-type;host;x-amz-date", "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"),
        new("get-header-key-duplicate", "GET", Example + "/", ["My-Header1:value2,value2,value1"], null, "",
            "host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        new("get-header-value-order", "GET", Example + "/", ["My-Header1:value4,value1,value3,value2"], null, "",
            "host;my-header1;x-amz-date", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
        new("get-header-value-trim", "GET", Example + "/", ["My-Header1: value1", "My-Header2:\"a   b   c\""], null, "",
            "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        new("post-header-key-sort", "POST", Example + "/", ["My-Header1:value1"], null, "",
            "host;my-header1;x-amz-date", "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        new("post-header-value-case", "POST", Example + "/", ["My-Header1:VALUE1"], null, "",
            "host;my-header1;x-amz-date", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        new("get-unreserved", "GET", Example + "/" + Unreserved, [], null, "", "host;x-amz-date",
            "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        new("get-vanilla-empty-query-key", "GET", Example + "/?Param1=value1", [], null, "", "host;x-amz-date",
            "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        new("get-vanilla-query-order-key-case", "GET", Example + "/?Param2=value2&Param1=value1", [], null, "", "host;x-amz-date",
            "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        new("get-vanilla-query-unreserved", "GET", Example + "/?" + Unreserved + "=" + Unreserved, [], null, "", "host;x-amz-date",
            "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        new("get-vanilla-utf8-query", "GET", Example + "/?\u1234=bar", [], null, "", "host;x-amz-date",
            "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        new("post-vanilla-query", "POST", Example + "/?Param1=value1", [], null, "", "host;x-amz-date",
            "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        // The parameters "@#$%^" (empty) and "+" = "/,?><`\";:\|][{}", percent-encoded so System.Uri keeps them intact.
        new("post-vanilla-query-nonunreserved", "POST",
            Example + "/?%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D", [], null, "", "host;x-amz-date",
            "66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e"),
    ];
}
