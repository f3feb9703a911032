using System.Net;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Wire;
using Microsoft.Extensions.Time.Testing;
using static Kinesis.Clients.Testing.EngineClients;
using static Kinesis.Clients.Testing.Tests.LimitsProxy.ProxyClients;

namespace Kinesis.Clients.Testing.Tests.LimitsProxy;

/// <summary>The proxy's per-shard read limits: 5 GetRecords calls and 2 MiB a second.</summary>
[Trait("Category", "Engine")]
public sealed class LimitsProxyReadTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private LocalAws Aws => fixture.Aws;

    public static TheoryData<WireProtocol> Protocols => new() { WireProtocol.Cbor, WireProtocol.Json };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task A_sixth_GetRecords_in_the_same_second_is_throttled(WireProtocol protocol)
    {
        var time = new FakeTimeProvider();
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint, new LimitsProxyOptions { TimeProvider = time }).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        await using var stream = await NewStreamAsync(client, 1, "proxy-reads");
        var shardId = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).Single().ShardId;
        await client.PutRecordsAsync(stream, Batch(3, "read")).WaitAsync(Deadline);

        var iterator = await client.GetShardIteratorAsync(new GetShardIteratorRequest
        {
            StreamName = stream,
            ShardId = shardId,
            IteratorType = ShardIteratorType.TrimHorizon,
        }).WaitAsync(Deadline);
        var records = 0;
        for (var i = 0; i < 5; i++)
        {
            var page = await client.GetRecordsAsync(iterator, 1).WaitAsync(Deadline);
            records += page.Records.Count;
            iterator = page.NextShardIterator!;
        }

        Assert.Equal(3, records);
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.GetRecordsAsync(iterator)).WaitAsync(Deadline);
        Assert.Equal("ProvisionedThroughputExceededException", error.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.True(error.IsThrottling);
        Assert.Equal(1, proxy.Stats.ThrottledGetRecordsRequests);

        time.Advance(TimeSpan.FromSeconds(1));
        var later = await client.GetRecordsAsync(iterator).WaitAsync(Deadline);
        Assert.NotNull(later.NextShardIterator);
        var traffic = proxy.Stats.Shard(stream, shardId);
        Assert.Equal(6, traffic.ReadCalls);
        Assert.Equal(3, traffic.ReadRecords);
        Assert.Equal(1, traffic.ThrottledReads);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task A_read_over_two_mebibytes_holds_back_the_next_calls_until_the_bucket_refills(WireProtocol protocol)
    {
        var time = new FakeTimeProvider();
        var options = new LimitsProxyOptions { TimeProvider = time, WriteBytesPerSecond = 10 * 1024 * 1024 };
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint, options).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        await using var stream = await NewStreamAsync(client, 1, "proxy-read-bytes");
        var shardId = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).Single().ShardId;
        var data = new byte[900 * 1024];
        Random.Shared.NextBytes(data);
        var put = await client.PutRecordsAsync(stream, [new("a", data), new("b", data), new("c", data)]).WaitAsync(Deadline);
        Assert.Equal(0, put.FailedRecordCount);

        var iterator = await client.GetShardIteratorAsync(new GetShardIteratorRequest
        {
            StreamName = stream,
            ShardId = shardId,
            IteratorType = ShardIteratorType.TrimHorizon,
        }).WaitAsync(Deadline);
        var page = await client.GetRecordsAsync(iterator).WaitAsync(Deadline);
        Assert.Equal(3, page.Records.Count);
        Assert.Equal(3 * data.Length, proxy.Stats.Shard(stream, shardId).ReadBytes);

        // 2.6 MiB read against a 2 MiB bucket: in debt, so the next call fails although calls remain.
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.GetRecordsAsync(page.NextShardIterator!)).WaitAsync(Deadline);
        Assert.Equal("ProvisionedThroughputExceededException", error.ErrorCode);

        time.Advance(TimeSpan.FromSeconds(1));
        var next = await client.GetRecordsAsync(page.NextShardIterator!).WaitAsync(Deadline);
        Assert.Empty(next.Records);
    }

    [Fact]
    public async Task An_iterator_the_proxy_never_saw_is_passed_through()
    {
        var time = new FakeTimeProvider();
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint, new LimitsProxyOptions { TimeProvider = time }).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, WireProtocol.Cbor);
        using var direct = Client(Aws, WireProtocol.Cbor);
        await using var stream = await NewStreamAsync(direct, 1, "proxy-unseen");
        var shardId = (await direct.ListAllShardsAsync(stream).WaitAsync(Deadline)).Single().ShardId;
        var iterator = await direct.GetShardIteratorAsync(new GetShardIteratorRequest
        {
            StreamName = stream,
            ShardId = shardId,
            IteratorType = ShardIteratorType.TrimHorizon,
        }).WaitAsync(Deadline);

        for (var i = 0; i < 7; i++)
        {
            iterator = (await client.GetRecordsAsync(iterator).WaitAsync(Deadline)).NextShardIterator!;
        }

        Assert.Equal(0, proxy.Stats.ThrottledGetRecordsRequests);
    }
}
