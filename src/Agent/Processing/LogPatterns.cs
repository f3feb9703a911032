using System.Text.RegularExpressions;
using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// The predefined LOGTOJSON formats: the Java agent's patterns (grok-style building blocks) and field names,
/// written out with Java's meaning: <c>\d \w \s</c> are ASCII and <c>.</c> stops at any of Java's five line
/// terminators. Each must match the whole record. One deliberate widening: in APACHEERRORLOG the
/// <c>[pid ...]</c> and <c>[client ...]</c> parts are optional, so Apache 2.2 lines and 2.4 lines without a
/// client also parse; every line the Java pattern matches yields the same fields as there.
/// </summary>
internal static partial class LogPatterns
{
    private const string Int = "(?:[+-]?(?:[0-9]+))";
    private const string PosInt = "(?:[1-9][0-9]*)";
    private const string NonNegInt = "(?:[0-9]+)";
    private const string AnyChar = @"[^\n\r\u0085\u2028\u2029]";
    private const string AnyData = AnyChar + "*";
    private const string Word = "[a-zA-Z0-9_]+";
    private const string Space = @"[\t\n\x0B\f\r\x20]";
    private const string NoQuote = "[^\"]+";
    private const string Ip = "(?:[0-9.]+)";
    private const string HostName = @"(?:[a-zA-Z0-9_\-]+)(?:\.(?:[a-zA-Z0-9_\-]+))*(?:\.?|\b)";
    private const string IpOrHost = "(?:" + HostName + "|" + Ip + ")";
    private const string UriHost = "(?:" + IpOrHost + "(?::" + PosInt + ")?)";
    private const string User = "(?:[a-zA-Z0-9._-]+)";
    private const string MonthDay = "(?:(?:0[1-9])|(?:[12][0-9])|(?:3[01])|[1-9])";
    private const string Day = "(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)";
    private const string Month = @"\b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|Aug(?:ust)?|Sep(?:tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b";
    private const string Year = "(?:[1-9][0-9]*)";
    private const string Hour = "(?:2[0123]|[01]?[0-9])";
    private const string Minute = "(?:[0-5][0-9])";
    private const string Second = "(?:(?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?)";
    private const string Time = "(?:" + Hour + ":" + Minute + ":" + Second + ")";
    private const string HttpDate = "(?:" + MonthDay + "/" + Month + "/" + Year + ":" + Time + Space + Int + ")";
    private const string ErrorLogTimestamp = "(?:" + Day + Space + "+" + Month + Space + "+" + MonthDay + Space + "+" + Time + Space + "+" + Year + ")";
    private const string SyslogTimestamp = "(?:" + Month + Space + "+" + MonthDay + Space + "+" + Time + ")";
    private const string Rfc3339 = @"(?:[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)(?:Z|(?:[-+][0-9]{2}:[0-9]{2}))";
    private const string SyslogFacility = "<" + NonNegInt + AnyChar + NonNegInt + ">";
    private const string SyslogProgram = "([a-zA-Z0-9_._/%-]+)(?:\\[(" + PosInt + ")\\])?";

    private const string Common = "(" + IpOrHost + ") (" + User + ") (" + User + @") \[(" + HttpDate + ")\\] \"(" + NoQuote + ")\" (" + Int + @"|\-) (" + Int + @"|\-)";
    private const string Combined = Common + " \"(" + NoQuote + ")\" \"(" + NoQuote + ")\"";
    private const string ErrorLog = @"\[(" + ErrorLogTimestamp + @")\] \[(?:(" + Word + "):)?(" + Word + @")\] (?:\[pid (" + NonNegInt + ")(?::tid (" + NonNegInt + @"))?\] )?(?:\[client (" + UriHost + @")\] )?(" + AnyData + ")";
    private const string SyslogTail = " (?:" + SyslogFacility + " )?(" + User + ") " + SyslogProgram + ": (" + AnyData + ")";

    private static readonly string[] CommonFields = ["host", "ident", "authuser", "datetime", "request", "response", "bytes"];
    private static readonly string[] CombinedFields = [.. CommonFields, "referer", "agent"];
    private static readonly string[] ErrorLogFields = ["timestamp", "module", "severity", "processid", "threadid", "client", "message"];
    private static readonly string[] SyslogFields = ["timestamp", "hostname", "program", "processid", "message"];

    /// <summary>The format's field names, in capture-group order.</summary>
    public static IReadOnlyList<string> FieldNames(LogFormat format) => format switch
    {
        LogFormat.CommonApacheLog => CommonFields,
        LogFormat.CombinedApacheLog => CombinedFields,
        LogFormat.ApacheErrorLog => ErrorLogFields,
        _ => SyslogFields,
    };

    /// <summary>The format's pattern, anchored at both ends.</summary>
    public static Regex Pattern(LogFormat format) => format switch
    {
        LogFormat.CommonApacheLog => CommonApacheLog(),
        LogFormat.CombinedApacheLog => CombinedApacheLog(),
        LogFormat.ApacheErrorLog => ApacheErrorLog(),
        LogFormat.Syslog => Syslog(),
        _ => Rfc3339Syslog(),
    };

    /// <summary>Whether a field that is exactly <c>-</c> becomes <c>null</c> (the Java agent's Apache parser; not its syslog one).</summary>
    public static bool DashIsNull(LogFormat format) => format is LogFormat.CommonApacheLog or LogFormat.CombinedApacheLog or LogFormat.ApacheErrorLog;

    // The Java patterns end in ".*" for the access logs: anything after the known fields is ignored.
    [GeneratedRegex(@"\A" + Common + AnyData + @"\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex CommonApacheLog();

    [GeneratedRegex(@"\A" + Combined + AnyData + @"\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex CombinedApacheLog();

    [GeneratedRegex(@"\A" + ErrorLog + @"\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ApacheErrorLog();

    [GeneratedRegex(@"\A(" + SyslogTimestamp + ")" + SyslogTail + @"\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Syslog();

    [GeneratedRegex(@"\A(" + Rfc3339 + ")" + SyslogTail + @"\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Rfc3339Syslog();
}
