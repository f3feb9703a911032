using System.Globalization;
using System.Numerics;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Testing;

/// <summary>One declared stream of standalone mode: evenly split shards and their states.</summary>
internal sealed class StandaloneStream
{
    private readonly UInt128[] _starts;

    public StandaloneStream(string name, int shardCount, ShardRegistry registry, LimitSettings limits)
    {
        Name = name;
        Arn = $"arn:aws:kinesis:{limits.Region}:{limits.AccountId}:stream/{name}";
        Created = limits.Time.GetUtcNow();
        Ranges = new HashKeyRange[shardCount];
        Shards = new ShardState[shardCount];
        _starts = new UInt128[shardCount];
        var space = BigInteger.One << 128;
        for (var i = 0; i < shardCount; i++)
        {
            // Shard i starts at floor(i * 2^128 / n): the even split CreateStream makes.
            var start = (UInt128)(space * i / shardCount);
            var end = i == shardCount - 1 ? UInt128.MaxValue : (UInt128)((space * (i + 1) / shardCount) - 1);
            _starts[i] = start;
            Ranges[i] = new HashKeyRange(new HashKey(start), new HashKey(end));
            Shards[i] = registry.Get(name, ShardId(i));
        }
    }

    public string Name { get; }

    public string Arn { get; }

    public DateTimeOffset Created { get; }

    public HashKeyRange[] Ranges { get; }

    public ShardState[] Shards { get; }

    public static string ShardId(int index) => "shardId-" + index.ToString("D12", CultureInfo.InvariantCulture);

    /// <summary>
    /// A sequence number of fixed width, so that text order is number order: "49", the shard index in 16
    /// digits and the shard's counter in 20.
    /// </summary>
    public static string SequenceNumber(int shardIndex, long sequence) =>
        string.Create(38, (shardIndex, sequence), static (span, s) =>
        {
            span[0] = '4';
            span[1] = '9';
            ((long)s.shardIndex).TryFormat(span.Slice(2, 16), out _, "D16", CultureInfo.InvariantCulture);
            s.sequence.TryFormat(span[18..], out _, "D20", CultureInfo.InvariantCulture);
        });

    /// <summary>The index of the shard holding <paramref name="key"/>.</summary>
    public int Find(HashKey key)
    {
        var index = Array.BinarySearch(_starts, key.Value);
        return index >= 0 ? index : ~index - 1;
    }
}
