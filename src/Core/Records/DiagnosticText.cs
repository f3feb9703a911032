namespace Kinesis.Clients.Records;

/// <summary>Shortens user-supplied values before they go into exception messages.</summary>
internal static class DiagnosticText
{
    // One log line should stay readable even when the offending value is a megabyte of text.
    private const int MaxQuotedLength = 64;

    public static string Quote(string value) =>
        value.Length <= MaxQuotedLength ? value : string.Concat(value.AsSpan(0, MaxQuotedLength), "…");
}
