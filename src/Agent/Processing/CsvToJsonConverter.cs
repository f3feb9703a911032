using System.Buffers;
using System.Text.RegularExpressions;
using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// CSVTOJSON: <c>{"name1":"col1","name2":"col2",...}</c>, one string per field name in order; a column Java's
/// split does not return is <c>null</c>, columns beyond the names are dropped. Values are not trimmed or
/// unquoted. A literal delimiter is matched on the UTF-8 bytes; a regex one on the decoded text.
/// </summary>
internal sealed class CsvToJsonConverter : IRecordConverter
{
    private const int StackFields = 64;

    private readonly byte[][] _names;
    private readonly JavaSplitter _splitter;

    /// <summary>Prepares the option: field names are escaped once here.</summary>
    public CsvToJsonConverter(CsvToJsonOption option)
    {
        _names = option.CustomFieldNames.Select((name, i) => JacksonJson.PropertyName(name, leadingComma: i > 0)).ToArray();
        _splitter = JavaSplitter.Create(option.Delimiter);
    }

    /// <inheritdoc/>
    public ProcessingOutcome Convert(ReadOnlySpan<byte> record, IBufferWriter<byte> target)
    {
        Range[]? rented = null;
        var fields = _names.Length <= StackFields
            ? stackalloc Range[StackFields]
            : (rented = ArrayPool<Range>.Shared.Rent(_names.Length));
        try
        {
            if (_splitter.IsLiteral)
            {
                var utf8 = Utf8Text.Repair(record);
                var count = _splitter.Split(utf8, fields);
                Write(target, count, fields, utf8);
            }
            else
            {
                var text = Utf8Text.Decode(record);
                var count = _splitter.Split(text.AsSpan(), fields);
                Write(target, count, fields, text.AsSpan());
            }

            return ProcessingOutcome.Converted;
        }
        catch (RegexMatchTimeoutException)
        {
            return ProcessingOutcome.Failed;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<Range>.Shared.Return(rented);
            }
        }
    }

    private void Write(IBufferWriter<byte> target, int count, Span<Range> fields, ReadOnlySpan<byte> utf8)
    {
        Utf8Text.Write(target, (byte)'{');
        for (var i = 0; i < _names.Length; i++)
        {
            Utf8Text.Write(target, _names[i]);
            if (i < count)
            {
                JacksonJson.WriteString(target, utf8[fields[i]]);
            }
            else
            {
                Utf8Text.Write(target, JacksonJson.Null);
            }
        }

        Utf8Text.Write(target, (byte)'}');
    }

    private void Write(IBufferWriter<byte> target, int count, Span<Range> fields, ReadOnlySpan<char> text)
    {
        Utf8Text.Write(target, (byte)'{');
        for (var i = 0; i < _names.Length; i++)
        {
            Utf8Text.Write(target, _names[i]);
            if (i < count)
            {
                JacksonJson.WriteString(target, text[fields[i]]);
            }
            else
            {
                Utf8Text.Write(target, JacksonJson.Null);
            }
        }

        Utf8Text.Write(target, (byte)'}');
    }
}
