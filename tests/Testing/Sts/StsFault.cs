namespace Kinesis.Clients.Testing;

/// <summary>A failure <see cref="LoopbackSts"/> answers instead of issuing credentials.</summary>
public enum StsFault
{
    /// <summary>403 <c>AccessDenied</c>, as when the role's trust policy does not name the caller.</summary>
    AccessDenied,

    /// <summary>500 <c>InternalFailure</c>, which the SDK retries.</summary>
    InternalFailure,
}
