using System.Buffers;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>One processing option, ready to run. Implementations are stateless and thread-safe.</summary>
internal interface IRecordConverter
{
    /// <summary>
    /// Converts <paramref name="record"/>. Appends to <paramref name="target"/> only when it returns
    /// <see cref="ProcessingOutcome.Converted"/>. Never throws for bad data.
    /// </summary>
    ProcessingOutcome Convert(ReadOnlySpan<byte> record, IBufferWriter<byte> target);
}
