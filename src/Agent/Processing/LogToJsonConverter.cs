using System.Buffers;
using System.Text.RegularExpressions;
using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// LOGTOJSON: matches the whole record and writes <c>{"field":"value",...}</c> in capture-group order; a group
/// that did not take part is <c>null</c>, and for the Apache formats so is a value that is exactly <c>-</c>.
/// A record that does not match is skipped, as the Java agent filters it out. Allocates the record's string and the
/// match: .NET has no capture API over spans.
/// </summary>
internal sealed class LogToJsonConverter : IRecordConverter
{
    private readonly Regex _pattern;
    private readonly byte[][] _names;
    private readonly bool _dashIsNull;

    /// <summary>Prepares the option.</summary>
    public LogToJsonConverter(LogToJsonOption option)
    {
        _pattern = option.MatchPattern ?? LogPatterns.Pattern(option.LogFormat);
        var names = option.CustomFieldNames ?? LogPatterns.FieldNames(option.LogFormat);
        _names = names.Select((name, i) => JacksonJson.PropertyName(name, leadingComma: i > 0)).ToArray();
        _dashIsNull = LogPatterns.DashIsNull(option.LogFormat);
    }

    /// <inheritdoc/>
    public ProcessingOutcome Convert(ReadOnlySpan<byte> record, IBufferWriter<byte> target)
    {
        Match match;
        try
        {
            match = _pattern.Match(Utf8Text.Decode(record));
        }
        catch (RegexMatchTimeoutException)
        {
            return ProcessingOutcome.Failed;
        }

        if (!match.Success)
        {
            return ProcessingOutcome.Skipped;
        }

        Utf8Text.Write(target, (byte)'{');
        for (var i = 0; i < _names.Length; i++)
        {
            Utf8Text.Write(target, _names[i]);
            var group = match.Groups[i + 1];
            if (!group.Success || (_dashIsNull && group.ValueSpan is "-"))
            {
                Utf8Text.Write(target, JacksonJson.Null);
            }
            else
            {
                JacksonJson.WriteString(target, group.ValueSpan);
            }
        }

        Utf8Text.Write(target, (byte)'}');
        return ProcessingOutcome.Converted;
    }
}
