using Amazon.Runtime;
using Kinesis.Clients.Tests.Http;

namespace Kinesis.Clients.Tests.Kinesis;

/// <summary>Bad arguments fail the call at once, naming what was wrong, and send nothing.</summary>
public sealed class KinesisClientValidationTests : IAsyncDisposable
{
    private readonly ScriptedHttpServer _server = new(_ => ScriptedHttpServer.Reset());
    private readonly KinesisClient _client;

    public KinesisClientValidationTests()
    {
        _client = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = _server.Endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
        });
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        Assert.Equal(0, _server.Requests);
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task PutRecords_with_more_than_500_entries_is_rejected()
    {
        var entries = Enumerable.Range(0, 501).Select(i => new PutRecordsEntry($"k{i}", new byte[1])).ToArray();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.PutRecordsAsync("orders", entries));
        Assert.Equal("records", ex.ParamName);
        Assert.Contains("501", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutRecords_with_no_entries_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.PutRecordsAsync("orders", []));
        Assert.Equal("records", ex.ParamName);
    }

    [Fact]
    public async Task PutRecords_over_5_MiB_in_total_is_rejected()
    {
        var entries = Enumerable.Range(0, 6).Select(i => new PutRecordsEntry($"k{i}", new byte[1000 * 1000])).ToArray();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.PutRecordsAsync("orders", entries));
        Assert.Contains("5 MiB", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutRecords_entry_with_a_too_long_partition_key_names_the_entry()
    {
        var entries = new[] { new PutRecordsEntry("ok", new byte[1]), new PutRecordsEntry(new string('k', 257), new byte[1]) };
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.PutRecordsAsync("orders", entries));
        Assert.Contains("records[1]", ex.ParamName, StringComparison.Ordinal);
        Assert.Contains("256", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutRecord_over_the_record_size_is_rejected()
    {
        var request = new PutRecordRequest { StreamName = "orders", PartitionKey = "k", Data = new byte[1024 * 1024] };
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.PutRecordAsync(request));
        Assert.Contains("1048576", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("340282366920938463463374607431768211456")]
    [InlineData("12a")]
    public async Task PutRecord_with_a_bad_explicit_hash_key_is_rejected(string hashKey)
    {
        var request = new PutRecordRequest { StreamName = "orders", PartitionKey = "k", Data = new byte[1], ExplicitHashKey = hashKey };
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.PutRecordAsync(request));
        Assert.Contains("ExplicitHashKey", ex.ParamName, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/name")]
    public async Task Bad_stream_names_are_rejected(string name)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => _client.DescribeStreamSummaryAsync(name));
    }

    [Fact]
    public async Task Stream_name_longer_than_128_characters_is_rejected()
    {
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() => _client.CreateStreamAsync(new string('s', 129), 1));
        Assert.Contains("128", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sequence_positions_need_a_sequence_number()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _client.GetShardIteratorAsync(new GetShardIteratorRequest
        {
            StreamName = "orders",
            ShardId = "shardId-000000000000",
            IteratorType = ShardIteratorType.AfterSequenceNumber,
        }));
        Assert.Contains("StartingSequenceNumber", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRecords_limit_above_10000_is_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _client.GetRecordsAsync("iterator", 10_001));
    }

    [Fact]
    public void Options_are_validated_when_the_client_is_built()
    {
        var ex = Assert.Throws<ArgumentException>(() => new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = _server.Endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("a", "b"),
            MaxRecordSizeBytes = 11 * 1024 * 1024,
        }));
        Assert.Equal("MaxRecordSizeBytes", ex.ParamName);

        ex = Assert.Throws<ArgumentException>(() => new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = _server.Endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("a", "b"),
            RequestTimeout = TimeSpan.Zero,
        }));
        Assert.Equal("RequestTimeout", ex.ParamName);
    }
}
