using System.Text;
using Kinesis.Clients.Buffers;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// One deduplicated string table of an aggregate (partition keys or explicit hash keys), kept already encoded
/// as its repeated protobuf field so writing the aggregate is a copy.
/// </summary>
internal sealed class KeyTable(byte fieldTag) : IDisposable
{
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly PooledBufferWriter _encoded = new();

    /// <summary>Distinct keys in the table.</summary>
    public int Count => _indexes.Count;

    /// <summary>The table as encoded protobuf fields.</summary>
    public ReadOnlySpan<byte> Encoded => _encoded.WrittenSpan;

    /// <summary>Finds a key's index; when absent, gives the index it would get and the bytes its entry would add.</summary>
    /// <returns><see langword="true"/> if the key is already in the table.</returns>
    public bool TryFind(string key, out int index, out int utf8Length, out long addedSize)
    {
        if (_indexes.TryGetValue(key, out index))
        {
            utf8Length = 0;
            addedSize = 0;
            return true;
        }

        index = _indexes.Count;
        utf8Length = Encoding.UTF8.GetByteCount(key);
        addedSize = ProtoWriter.LengthDelimitedSize(utf8Length);
        return false;
    }

    /// <summary>Appends a key that <see cref="TryFind"/> reported absent.</summary>
    public void Add(string key, int utf8Length, long entrySize)
    {
        var span = _encoded.GetSpan((int)entrySize);
        span[0] = fieldTag;
        var written = 1 + ProtoWriter.WriteVarint(span[1..], (ulong)utf8Length);
        written += Encoding.UTF8.GetBytes(key, span[written..]);
        _encoded.Advance(written);
        _indexes.Add(key, _indexes.Count);
    }

    /// <summary>Empties the table, keeping its storage.</summary>
    public void Clear()
    {
        _indexes.Clear();
        _encoded.Clear();
    }

    /// <inheritdoc/>
    public void Dispose() => _encoded.Dispose();
}
