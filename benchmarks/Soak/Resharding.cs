using Kinesis.Clients.Records;

namespace Kinesis.Clients.Soak;

/// <summary>A split of the first shard at its middle, then a merge of its two children, through the limits proxy.</summary>
internal static class Resharding
{
    public static async Task<(FaultWindow Window, IReadOnlyList<string> NewShards)> SplitAsync(KinesisClient kinesis, string stream, CancellationToken cancellationToken)
    {
        var started = FaultWindow.Now();
        var before = await OpenShardsAsync(kinesis, stream, cancellationToken);
        await RetryAsync(async () =>
        {
            var shards = await kinesis.ListAllShardsAsync(stream, cancellationToken: cancellationToken);
            var parent = shards.Where(s => s.IsOpen).OrderBy(s => s.HashKeyRange.StartingHashKey).First();
            var range = parent.HashKeyRange;
            var middle = new HashKey(range.StartingHashKey.Value + ((range.EndingHashKey.Value - range.StartingHashKey.Value) / 2));
            await kinesis.SplitShardAsync(stream, parent.ShardId, middle, cancellationToken);
            Console.WriteLine($"soak: split {parent.ShardId}");
        }, cancellationToken);
        await RetryAsync(() => kinesis.WaitForStreamActiveAsync(stream, TimeSpan.FromMinutes(2), cancellationToken), cancellationToken);
        return (new FaultWindow("reshard (split)", started, FaultWindow.Now()), (await OpenShardsAsync(kinesis, stream, cancellationToken)).Except(before).ToList());
    }

    public static async Task<(FaultWindow Window, IReadOnlyList<string> NewShards)> MergeAsync(KinesisClient kinesis, string stream, CancellationToken cancellationToken)
    {
        var started = FaultWindow.Now();
        var before = await OpenShardsAsync(kinesis, stream, cancellationToken);
        await RetryAsync(async () =>
        {
            var shards = await kinesis.ListAllShardsAsync(stream, cancellationToken: cancellationToken);
            var open = shards.Where(s => s.IsOpen).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
            // The split's two children: the open pair sharing a parent, adjacent by construction.
            var pair = open.Where(s => s.ParentShardId is not null).GroupBy(s => s.ParentShardId).First(g => g.Count() == 2).ToList();
            await kinesis.MergeShardsAsync(stream, pair[0].ShardId, pair[1].ShardId, cancellationToken);
            Console.WriteLine($"soak: merged {pair[0].ShardId} and {pair[1].ShardId}");
        }, cancellationToken);
        await RetryAsync(() => kinesis.WaitForStreamActiveAsync(stream, TimeSpan.FromMinutes(2), cancellationToken), cancellationToken);
        return (new FaultWindow("reshard (merge)", started, FaultWindow.Now()), (await OpenShardsAsync(kinesis, stream, cancellationToken)).Except(before).ToList());
    }

    private static async Task<List<string>> OpenShardsAsync(KinesisClient kinesis, string stream, CancellationToken cancellationToken)
    {
        IReadOnlyList<Shard> shards = [];
        await RetryAsync(async () => shards = await kinesis.ListAllShardsAsync(stream, cancellationToken: cancellationToken), cancellationToken);
        return shards.Where(s => s.IsOpen).Select(s => s.ShardId).ToList();
    }

    // The calls go through the proxy while it injects faults; a refused or reset call is tried again.
    private static async Task RetryAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await call();
                return;
            }
            catch (Exception ex) when (attempt < 20 && ex is AwsServiceException or HttpRequestException or TimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }
}
