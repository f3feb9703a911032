using System.Text;
using Kinesis.Clients.Producer.Pipeline;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class PartitionKeyCacheTests
{
    [Fact]
    public void A_stored_key_is_found_with_its_hash_key_and_length_by_value_not_by_reference()
    {
        var cache = new PartitionKeyCache();
        cache.Add("pk1", HashKey.FromPartitionKey("pk1"), 3);

        Assert.True(cache.TryGet(new StringBuilder("pk").Append('1').ToString(), out var hashKey, out var length));
        Assert.Equal(HashKey.Parse("329398341438914906102347661116985167824"), hashKey);
        Assert.Equal(3, length);
        Assert.False(cache.TryGet("pk2", out _, out _));
    }

    [Fact]
    public void Keys_longer_than_the_cached_limit_are_not_stored()
    {
        var cache = new PartitionKeyCache();
        var key = new string('k', PartitionKeyCache.MaxCachedKeyLength + 1);
        cache.Add(key, HashKey.FromPartitionKey(key), key.Length);

        Assert.False(cache.TryGet(key, out _, out _));
    }

    [Fact]
    public async Task Readers_racing_writers_never_see_one_key_with_another_keys_hash()
    {
        var cache = new PartitionKeyCache();

        // Far more keys than slots, so entries are overwritten all the time while others read them.
        var keys = Enumerable.Range(0, 100_000).Select(i => $"key-{i}").ToArray();
        var hashes = keys.Select(HashKey.FromPartitionKey).ToArray();
        var wrong = 0;
        var hits = 0;
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            for (var n = 0; n < 400_000; n++)
            {
                var i = random.Next(keys.Length);
                if (cache.TryGet(keys[i], out var hashKey, out var length))
                {
                    Interlocked.Increment(ref hits);
                    if (hashKey != hashes[i] || length != keys[i].Length)
                    {
                        Interlocked.Increment(ref wrong);
                    }
                }
                else
                {
                    cache.Add(keys[i], hashes[i], keys[i].Length);
                }
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, wrong);
        Assert.True(hits > 0);
    }
}
