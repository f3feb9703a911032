using System.Buffers;
using System.Text;
using Kinesis.Clients.Agent.Configuration;
using Kinesis.Clients.Agent.Processing;
using Kinesis.Clients.Agent.Tests.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Agent.Tests.Processing;

/// <summary>Builds chains from configuration text and runs records through them.</summary>
internal static class Run
{
    public static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2024, 5, 1, 12, 34, 56, 789, TimeSpan.Zero));

    /// <summary>A chain from the JSON of a <c>dataProcessingOptions</c> array.</summary>
    public static ProcessingChain Chain(string optionsJson, TimeProvider? time = null) =>
        ProcessingChain.Create(ConfigText.ParseFlow($"\"dataProcessingOptions\": {optionsJson}").Flows[0].DataProcessingOptions, time ?? Clock);

    /// <summary>The outcome and the bytes to send (the record itself unless converted).</summary>
    public static (ProcessingOutcome Outcome, string Sent) Process(ProcessingChain chain, string record) =>
        Process(chain, Encoding.UTF8.GetBytes(record));

    public static (ProcessingOutcome Outcome, string Sent) Process(ProcessingChain chain, byte[] record)
    {
        var output = new ArrayBufferWriter<byte>();
        var outcome = chain.Process(record, output);
        var sent = outcome == ProcessingOutcome.Converted ? output.WrittenSpan : record;
        return (outcome, Encoding.UTF8.GetString(sent));
    }

    /// <summary>
    /// The converted text of a JSON option without the one '\n' the Java agent ends it with; fails the test when the
    /// record was not converted or the line break is missing.
    /// </summary>
    public static string ConvertedLine(ProcessingChain chain, string record)
    {
        var sent = Converted(chain, record);
        Assert.EndsWith("\n", sent, StringComparison.Ordinal);
        return sent[..^1];
    }

    /// <summary>The converted text; fails the test when the record was not converted.</summary>
    public static string Converted(ProcessingChain chain, string record)
    {
        var (outcome, sent) = Process(chain, record);
        Assert.Equal(ProcessingOutcome.Converted, outcome);
        return sent;
    }
}
