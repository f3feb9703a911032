namespace Kinesis.Clients.Agent.Configuration;

/// <summary>The predefined log formats of <c>LOGTOJSON</c> (<c>logFormat</c>).</summary>
internal enum LogFormat
{
    /// <summary><c>COMMONAPACHELOG</c>: host ident authuser [datetime] "request" response bytes.</summary>
    CommonApacheLog,

    /// <summary><c>COMBINEDAPACHELOG</c>: the common format followed by "referer" "agent".</summary>
    CombinedApacheLog,

    /// <summary><c>APACHEERRORLOG</c>: [timestamp] [module:severity] [pid N:tid N] [client host] message.</summary>
    ApacheErrorLog,

    /// <summary><c>SYSLOG</c>: RFC 3164 style, <c>Mar 12 12:00:08 host program[pid]: message</c>.</summary>
    Syslog,

    /// <summary><c>RFC3339SYSLOG</c>: the same with an RFC 3339 timestamp first (rsyslog's high-precision format).</summary>
    Rfc3339Syslog,
}
