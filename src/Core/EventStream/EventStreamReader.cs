using System.IO.Pipelines;

namespace Kinesis.Clients.EventStream;

/// <summary>Reads event-stream messages one at a time from a byte stream as they arrive.</summary>
internal sealed class EventStreamReader : IAsyncDisposable
{
    private readonly PipeReader _pipe;

    /// <summary>Reads from <paramref name="stream"/>; disposing the reader does not dispose the stream.</summary>
    public EventStreamReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
    }

    /// <summary>Messages read so far.</summary>
    public long MessagesRead { get; private set; }

    /// <summary>
    /// The next message, or <see langword="null"/> when the stream ended cleanly between two messages.
    /// </summary>
    /// <exception cref="EventStreamFormatException">A message is corrupt, or the stream ended inside one.</exception>
    public async ValueTask<EventStreamMessage?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            EventStreamMessage? message;
            try
            {
                if (EventStreamDecoder.TryDecode(ref buffer, out message))
                {
                    MessagesRead++;
                    _pipe.AdvanceTo(buffer.Start);
                    return message;
                }
            }
            catch (EventStreamFormatException)
            {
                _pipe.AdvanceTo(buffer.Start);
                throw;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                var left = buffer.Length;
                _pipe.AdvanceTo(buffer.End);
                if (left == 0)
                {
                    return null;
                }

                throw new EventStreamFormatException(
                    $"The event stream ended inside a message: {left} bytes of it arrived after {MessagesRead} complete messages.");
            }

            // Nothing consumed, everything examined: the next read waits for more bytes.
            _pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _pipe.CompleteAsync();
}
