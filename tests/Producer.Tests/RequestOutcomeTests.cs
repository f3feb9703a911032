using System.Collections.Concurrent;
using System.Text;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary><see cref="KinesisProducerOptions.OnPutRecordsRequest"/>: one report per request, in user records, failed requests included.</summary>
[Trait("Category", "Engine")]
public sealed class RequestOutcomeTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public RequestOutcomeTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Every_request_is_reported_with_its_user_records_and_failed_requests_with_their_error_code()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        proxy.Faults.FailNext(1, 500, "PutRecords");
        var options = Options(_aws, proxy.Endpoint);
        var outcomes = new ConcurrentQueue<PutRecordsRequestOutcome>();
        options.OnPutRecordsRequest = outcomes.Enqueue;

        const int Count = 200;
        var payloads = Enumerable.Range(0, Count).Select(i => Encoding.UTF8.GetBytes($"value {i}")).ToList();
        await using (var producer = new KinesisProducer(options))
        {
            await Task.WhenAll(payloads.Select((p, i) => producer.PutAsync(stream, $"k{i}", p))).WaitAsync(Deadline);
        }

        var all = outcomes.ToList();
        Assert.All(all, o => Assert.Equal(stream, o.StreamName));
        var failed = Assert.Single(all, o => o.RequestErrorCode is not null);
        Assert.Equal("InternalFailure", failed.RequestErrorCode);
        Assert.True(failed.UserRecords > 0);
        Assert.Equal((0, 0L, 0), (failed.UserRecordsStored, failed.UserDataBytesStored, failed.UserRecordsFailed));
        Assert.Equal(Count, all.Sum(o => o.UserRecordsStored));
        Assert.Equal(payloads.Sum(p => (long)p.Length), all.Sum(o => o.UserDataBytesStored));
        Assert.Equal(Count + failed.UserRecords, all.Sum(o => o.UserRecords));
        Assert.Equal(0, all.Sum(o => o.UserRecordsFailed));
        Assert.Equal(Count, (await ReadAllAsync(client, stream)).Count);
    }
}
