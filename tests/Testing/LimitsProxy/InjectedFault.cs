namespace Kinesis.Clients.Testing;

/// <summary>What to do to one request instead of handling it.</summary>
internal readonly record struct InjectedFault(FaultKind Kind, int StatusCode, string ErrorCode)
{
    public static string CodeFor(int statusCode) => statusCode switch
    {
        503 => "ServiceUnavailable",
        429 => "ThrottlingException",
        >= 500 => "InternalFailure",
        _ => "InvalidArgumentException",
    };

    public string Message => ErrorCode switch
    {
        "ServiceUnavailable" => "Service Unavailable",
        "InternalFailure" => "Internal service failure.",
        _ => "Injected by the limits proxy.",
    };
}
