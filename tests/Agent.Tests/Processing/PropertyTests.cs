using System.Buffers;
using System.Text.Json;
using CsCheck;
using Kinesis.Clients.Agent.Processing;

namespace Kinesis.Clients.Agent.Tests.Processing;

public sealed class PropertyTests
{
    private static readonly string[] JsonChains =
    [
        """[ { "optionName": "CSVTOJSON", "customFieldNames": ["a", "b", "c"] } ]""",
        """[ { "optionName": "CSVTOJSON", "customFieldNames": ["a", "b"], "delimiter": "\\s*[;|]\\s*" } ]""",
        """[ { "optionName": "LOGTOJSON", "logFormat": "COMMONAPACHELOG" } ]""",
        """[ { "optionName": "LOGTOJSON", "logFormat": "SYSLOG", "matchPattern": "(.*?)(x?)", "customFieldNames": ["all", "x"] } ]""",
        """[ { "optionName": "ADDMETADATA", "timestamp": true, "metadata": { "k": "v" } } ]""",
        """[ { "optionName": "SINGLELINE" }, { "optionName": "ADDMETADATA", "jsonFormat": "PRETTYPRINT" } ]""",
    ];

    // Bytes that are mostly plausible log text, with line breaks, controls, quotes and broken UTF-8 mixed in.
    private static readonly Gen<byte[]> Records = Gen.OneOf(
        Gen.Byte.Array[0, 300],
        Gen.Char["ab ,;|x-\"\\\n\r\t\u0001é😀[]:/"].Array[0, 120].Select(c => System.Text.Encoding.UTF8.GetBytes(new string(c))),
        Gen.Select(Gen.Byte.Array[0, 40], Gen.Byte.Array[0, 40], (a, b) => a.Append((byte)'\n').Concat(b).ToArray()));

    [Fact]
    public void Arbitrary_bytes_never_throw_and_converted_JSON_always_parses()
    {
        var chains = JsonChains.Select(json => Run.Chain(json)).ToArray();
        var output = new ArrayBufferWriter<byte>();

        SeededCheck.ForAll(Records, record =>
        {
            foreach (var chain in chains)
            {
                var outcome = chain.Process(record, output);
                if (outcome == ProcessingOutcome.Converted)
                {
                    using var document = JsonDocument.Parse(output.WrittenMemory);
                    Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
                }
            }
        }, cases: 300);
    }

    [Fact]
    public void Arbitrary_bytes_through_SINGLELINE_leave_as_one_line_ending_in_its_line_break()
    {
        var chain = Run.Chain("""[ { "optionName": "SINGLELINE" } ]""");
        var output = new ArrayBufferWriter<byte>();

        SeededCheck.ForAll(Records, record =>
        {
            var outcome = chain.Process(record, output);
            Assert.Equal(ProcessingOutcome.Converted, outcome);
            var sent = output.WrittenSpan.ToArray();
            Assert.Equal((byte)'\n', sent[^1]);
            Assert.DoesNotContain((byte)'\n', sent[..^1]);
        }, cases: 300);
    }

    [Fact]
    public void ADDMETADATA_data_round_trips_any_valid_UTF8_text()
    {
        var chain = Run.Chain("""[ { "optionName": "ADDMETADATA" } ]""");
        var output = new ArrayBufferWriter<byte>();
        var texts = Gen.String.Select(s => new string(s.Where(c => !char.IsSurrogate(c)).ToArray()));

        SeededCheck.ForAll(texts, text =>
        {
            Assert.Equal(ProcessingOutcome.Converted, chain.Process(System.Text.Encoding.UTF8.GetBytes(text), output));
            using var document = JsonDocument.Parse(output.WrittenMemory);
            Assert.Equal(text, document.RootElement.GetProperty("data").GetString());
        }, cases: 300);
    }

    [Fact]
    public void CSV_fields_joined_again_give_back_the_record_when_every_column_is_named()
    {
        var chain = Run.Chain("""[ { "optionName": "CSVTOJSON", "customFieldNames": ["a", "b", "c", "d", "e", "f", "g", "h"] } ]""");
        var output = new ArrayBufferWriter<byte>();
        var rows = Gen.String["abc éü\"\\"].Array[1, 8].Select(fields => string.Join(',', fields));

        SeededCheck.ForAll(rows, row =>
        {
            chain.Process(System.Text.Encoding.UTF8.GetBytes(row), output);
            using var document = JsonDocument.Parse(output.WrittenMemory);
            var values = document.RootElement.EnumerateObject().Select(p => p.Value.GetString()).TakeWhile(v => v is not null);
            Assert.Equal(row.TrimEnd(','), string.Join(',', values));
        }, cases: 300);
    }
}
