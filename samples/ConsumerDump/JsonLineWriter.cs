using System.Buffers;
using System.Text.Json;

namespace Kinesis.Clients.ConsumerDump;

/// <summary>
/// One stdout shared by every shard's processor: a batch's lines are written under a lock and flushed before
/// the processor checkpoints, so lines of different shards never interleave mid-line.
/// </summary>
internal sealed class JsonLineWriter : IDisposable
{
    private readonly Stream _out;
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _json;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public JsonLineWriter(Stream output)
    {
        _out = output;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = false });
    }

    public async Task WriteAsync(Action<Utf8JsonWriter> write)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _buffer.ResetWrittenCount();
            _json.Reset(_buffer);
            write(_json);
            await _out.WriteAsync(_buffer.WrittenMemory).ConfigureAwait(false);
            await _out.FlushAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ends the JSON object just written with a newline.</summary>
    public void EndLine() => _buffer.Write("\n"u8);

    public void Dispose()
    {
        _json.Dispose();
        _gate.Dispose();
    }
}
