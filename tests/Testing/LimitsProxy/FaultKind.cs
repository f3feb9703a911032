namespace Kinesis.Clients.Testing;

/// <summary>What an injected fault does to a request.</summary>
internal enum FaultKind
{
    /// <summary>Nothing: the request is handled.</summary>
    None,

    /// <summary>An AWS-style error reply instead of handling it.</summary>
    Fail,

    /// <summary>The connection is aborted without a reply.</summary>
    Reset,
}
