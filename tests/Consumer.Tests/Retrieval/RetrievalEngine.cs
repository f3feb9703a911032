using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Retrieval;

/// <summary>Helpers for reader tests against kinesis-mock: streams, plain and aggregated puts, and reading with a deadline.</summary>
internal static class RetrievalEngine
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    public static KinesisClient Client(LocalAws aws, Uri? endpoint = null) => new(new KinesisClientOptions
    {
        ServiceUrl = endpoint ?? aws.KinesisEndpoint,
        Region = aws.Region,
        Credentials = aws.Credentials,
    });

    /// <summary>A new stream, deleted when disposed (<c>await using</c>); see <see cref="LocalAws.NewStreamAsync"/>.</summary>
    public static async Task<TestStream> NewStreamAsync(KinesisClient client, int shards = 1, int? peakShards = null)
    {
        var aws = await LocalAws.GetAsync().WaitAsync(Deadline);
        return await aws.NewStreamAsync(shards, "retrieval", peakShards, through: client);
    }

    public static async Task<Shard> OnlyShardAsync(KinesisClient client, string stream) =>
        Assert.Single(await client.ListAllShardsAsync(stream).WaitAsync(Deadline));

    /// <summary>Puts plain records <c>{prefix}0</c>… one request at a time; returns them as the reader should deliver them.</summary>
    public static async Task<List<Expected>> PutPlainAsync(KinesisClient client, string stream, int count, string prefix = "p")
    {
        var expected = new List<Expected>();
        for (var start = 0; start < count; start += 500)
        {
            var entries = Enumerable.Range(start, Math.Min(500, count - start))
                .Select(i => new PutRecordsEntry($"key-{i % 13}", Encoding.UTF8.GetBytes($"{prefix}{i}")))
                .ToList();
            var put = await client.PutRecordsAsync(stream, entries).WaitAsync(Deadline);
            Assert.Equal(0, put.FailedRecordCount);
            for (var i = 0; i < entries.Count; i++)
            {
                expected.Add(new Expected(put.Records[i].SequenceNumber!, 0, Encoding.UTF8.GetString(entries[i].Data.Span)));
            }
        }

        return expected;
    }

    /// <summary>
    /// Puts <paramref name="aggregates"/> KPL aggregates of <paramref name="perAggregate"/> user records each
    /// (data <c>{prefix}{aggregate}.{index}</c>), in one PutRecords call.
    /// </summary>
    public static async Task<List<Expected>> PutAggregatedAsync(KinesisClient client, string stream, int aggregates, int perAggregate, string prefix = "a")
    {
        var entries = new List<PutRecordsEntry>();
        var data = new List<string[]>();
        using var builder = new AggregateBuilder(maxEncodedSize: 1024 * 1024);
        for (var a = 0; a < aggregates; a++)
        {
            builder.Reset();
            var texts = Enumerable.Range(0, perAggregate).Select(i => $"{prefix}{a}.{i}").ToArray();
            foreach (var (text, i) in texts.Select((t, i) => (t, i)))
            {
                Assert.True(builder.TryAdd($"user-{a}-{i % 5}", null, Encoding.UTF8.GetBytes(text)));
            }

            entries.Add(new PutRecordsEntry(builder.KinesisPartitionKey, builder.ToKinesisData(), builder.KinesisExplicitHashKey));
            data.Add(texts);
        }

        var put = await client.PutRecordsAsync(stream, entries).WaitAsync(Deadline);
        Assert.Equal(0, put.FailedRecordCount);
        var expected = new List<Expected>();
        for (var a = 0; a < aggregates; a++)
        {
            expected.AddRange(data[a].Select((text, i) => new Expected(put.Records[a].SequenceNumber!, i, text)));
        }

        return expected;
    }

    /// <summary>Reads batches until <paramref name="until"/> holds for the records so far, or the shard ends.</summary>
    public static async Task<ReadResult> ReadAsync(IShardRecordSource reader, Func<List<Expected>, bool> until, Func<ShardBatch, Task>? onBatch = null)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var result = new ReadResult();
        await foreach (var batch in reader.ReadAsync(deadline.Token))
        {
            result.Batches.Add(batch);
            result.Records.AddRange(batch.Records.Select(Expected.Of));
            if (onBatch is not null)
            {
                await onBatch(batch);
            }

            if (batch.IsShardEnd || until(result.Records))
            {
                break;
            }
        }

        return result;
    }

    public static Task<ReadResult> ReadCountAsync(IShardRecordSource reader, int count, Func<ShardBatch, Task>? onBatch = null) =>
        ReadAsync(reader, records => records.Count >= count, onBatch);

    public static PollingShardReader Reader(
        KinesisClient client, string stream, Shard shard, StartingPosition start, ShardReaderOptions? options = null, TimeProvider? time = null) =>
        new(client, stream, shard.ShardId, shard.HashKeyRange, start, options, time);
}

/// <summary>A user record by what identifies it: position and data.</summary>
internal sealed record Expected(string SequenceNumber, long SubSequenceNumber, string Data)
{
    public static Expected Of(ConsumerRecord record) =>
        new(record.SequenceNumber, record.SubSequenceNumber, Encoding.UTF8.GetString(record.Data.Span));

    public override string ToString() => $"{SequenceNumber[^6..]}/{SubSequenceNumber} {Data}";
}

internal sealed class ReadResult
{
    public List<ShardBatch> Batches { get; } = [];

    public List<Expected> Records { get; } = [];
}
