using System.Net;

namespace Kinesis.Clients.Http;

/// <summary>
/// A request body sent as it lies in several segments (<see cref="Buffers.GatherBufferWriter"/>), with its length
/// known up front; the segments must stay unchanged until the request is done. Sending it again (a connection the
/// handler retries on) writes the same bytes again.
/// </summary>
internal sealed class GatheredContent : HttpContent
{
    private readonly ReadOnlyMemory<byte>[] _segments;
    private readonly long _length;

    public GatheredContent(ReadOnlyMemory<byte>[] segments)
    {
        _segments = segments;
        foreach (var segment in segments)
        {
            _length += segment.Length;
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        foreach (var segment in _segments)
        {
            await stream.WriteAsync(segment, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
