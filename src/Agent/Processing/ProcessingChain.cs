using System.Buffers;
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

    /// <summary>Builds the chain for a flow's options; <paramref name="timeProvider"/> stamps ADDMETADATA's <c>ts</c>.</summary>
    public static ProcessingChain Create(IReadOnlyList<DataProcessingOption> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return options.Count == 0 ? Empty : new ProcessingChain([.. options.Select(o => Build(o, timeProvider))]);
    }

    /// <summary>
    /// Converts one record (UTF-8, without its final line break) through every option in order. A non-empty
    /// chain clears <paramref name="output"/> first. <see cref="ProcessingOutcome.Unchanged"/>: send
    /// <paramref name="record"/> as is. <see cref="ProcessingOutcome.Converted"/>: send
    /// <c>output.WrittenMemory</c>. <see cref="ProcessingOutcome.Failed"/>: a step could not convert it; send
    /// the raw record and count a processing error. Never throws for bad data.
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
                if (outcome == ProcessingOutcome.Failed)
                {
                    output.ResetWrittenCount();
                    return ProcessingOutcome.Failed;
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

    private static IRecordConverter Build(DataProcessingOption option, TimeProvider timeProvider)
    {
        var (converter, format) = option switch
        {
            SingleLineOption o => ((IRecordConverter)new SingleLineConverter(o), JsonFormat.Compact),
            CsvToJsonOption o => (new CsvToJsonConverter(o), o.JsonFormat),
            LogToJsonOption o => (new LogToJsonConverter(o), o.JsonFormat),
            AddMetadataOption o => (new AddMetadataConverter(o, timeProvider), o.JsonFormat),
            _ => throw new ArgumentException($"Unknown processing option {option.GetType().Name}.", nameof(option)),
        };
        return format == JsonFormat.PrettyPrint ? new PrettyPrintingConverter(converter) : converter;
    }
}
