using System.Buffers;
using System.Text.Json;
using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// A flow's <c>dataProcessingOptions</c>, ready to run on each record in order. Thread-safe: converters are
/// stateless and intermediate results live in per-thread buffers, so a warmed-up chain allocates nothing per
/// record except in LOGTOJSON (and CSVTOJSON with a regex delimiter), which need a string for .NET's regex.
/// </summary>
internal sealed class ProcessingChain
{
    private static readonly ProcessingChain Empty = new([]);

    private readonly IRecordConverter[] _steps;

    private ProcessingChain(IRecordConverter[] steps) => _steps = steps;

    /// <summary>Whether there is nothing to do: <see cref="Process"/> always answers Unchanged without reading.</summary>
    public bool IsEmpty => _steps.Length == 0;

    /// <summary>
    /// Builds the chain for a flow's options; <paramref name="timeProvider"/> stamps ADDMETADATA's <c>ts</c>, and
    /// <paramref name="instanceIdentity"/> gives each ADDEC2METADATA option its source of the instance identity
    /// (without it, such records pass unchanged).
    /// </summary>
    public static ProcessingChain Create(
        IReadOnlyList<DataProcessingOption> options,
        TimeProvider timeProvider,
        Func<AddEc2MetadataOption, Func<JsonElement?>>? instanceIdentity = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return options.Count == 0 ? Empty : new ProcessingChain([.. options.Select(o => Build(o, timeProvider, instanceIdentity))]);
    }

    /// <summary>
    /// Converts one record (its bytes as read, final line break included) through every option in order. A
    /// non-empty chain clears <paramref name="output"/> first. <see cref="ProcessingOutcome.Unchanged"/>: send
    /// <paramref name="record"/> as is. <see cref="ProcessingOutcome.Converted"/>: send
    /// <c>output.WrittenMemory</c>. <see cref="ProcessingOutcome.Failed"/>: a step could not convert it; send
    /// the raw record and count a processing error. <see cref="ProcessingOutcome.Skipped"/>: a step filtered it
    /// out; send nothing. Never throws for bad data.
    /// </summary>
    public ProcessingOutcome Process(ReadOnlySpan<byte> record, ArrayBufferWriter<byte> output)
    {
        var steps = _steps;
        if (steps.Length == 0)
        {
            return ProcessingOutcome.Unchanged;
        }

        ArgumentNullException.ThrowIfNull(output);
        output.ResetWrittenCount();
        if (steps.Length == 1)
        {
            try
            {
                return steps[0].Convert(record, output);
            }
            finally
            {
                Scratch.Trim();
            }
        }

        var current = record;
        var converted = false;
        var useFirst = true;
        try
        {
            for (var i = 0; i < steps.Length; i++)
            {
                var last = i == steps.Length - 1;
                var target = last ? output : (useFirst ? Scratch.First : Scratch.Second);
                var outcome = steps[i].Convert(current, target);
                if (outcome is ProcessingOutcome.Failed or ProcessingOutcome.Skipped)
                {
                    output.ResetWrittenCount();
                    return outcome;
                }

                if (outcome == ProcessingOutcome.Converted)
                {
                    converted = true;
                    if (!last)
                    {
                        current = target.WrittenSpan;
                        useFirst = !useFirst;
                    }
                }
                else if (last && converted)
                {
                    Utf8Text.Write(output, current);
                }
            }

            return converted ? ProcessingOutcome.Converted : ProcessingOutcome.Unchanged;
        }
        finally
        {
            Scratch.Trim();
        }
    }

    private static IRecordConverter Build(
        DataProcessingOption option,
        TimeProvider timeProvider,
        Func<AddEc2MetadataOption, Func<JsonElement?>>? instanceIdentity)
    {
        // SINGLELINE and ADDBRACKETS handle line breaks themselves; the JSON converters share the Java agent's rule.
        var (converter, format) = option switch
        {
            SingleLineOption o => ((IRecordConverter)new SingleLineConverter(o), (JsonFormat?)null),
            AddBracketsOption => (new BracketsConverter(), null),
            CsvToJsonOption o => (new CsvToJsonConverter(o), o.JsonFormat),
            LogToJsonOption o => (new LogToJsonConverter(o), o.JsonFormat),
            AddMetadataOption o => (new AddMetadataConverter(o, timeProvider), o.JsonFormat),
            AddEc2MetadataOption o => (new AddEc2MetadataConverter(instanceIdentity?.Invoke(o) ?? (static () => null)), o.JsonFormat),
            _ => throw new ArgumentException($"Unknown processing option {option.GetType().Name}.", nameof(option)),
        };
        return format switch
        {
            null => converter,
            JsonFormat.PrettyPrint => new JsonLineConverter(new PrettyPrintingConverter(converter)),
            _ => new JsonLineConverter(converter),
        };
    }
}
