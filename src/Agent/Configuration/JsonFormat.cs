namespace Kinesis.Clients.Agent.Configuration;

/// <summary>How a converting option lays out its JSON (<c>jsonFormat</c>).</summary>
internal enum JsonFormat
{
    /// <summary><c>COMPACT</c> (default): one line, no spaces.</summary>
    Compact,

    /// <summary><c>PRETTYPRINT</c>: Jackson's default pretty printer (two-space indent, <c>"key" : value</c>).</summary>
    PrettyPrint,
}
