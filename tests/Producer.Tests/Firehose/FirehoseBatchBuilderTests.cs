using System.Text;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Firehose;

namespace Kinesis.Clients.Producer.Tests.Firehose;

/// <summary>
/// Joining (AggregatedRecordSizeBytes) follows the Amazon Kinesis Agent's rule, checked with the cases of its own
/// splitter tests (size 10), and batches keep PutRecordBatch's limits.
/// </summary>
public sealed class FirehoseBatchBuilderTests : IAsyncLifetime
{
    private FirehoseParts _parts = null!;

    public Task InitializeAsync()
    {
        _parts = new FirehoseParts(new FirehoseProducerOptions
        {
            Region = "us-east-1",
            Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            FirehoseEndpoint = new Uri("http://127.0.0.1:9/"),
            MetricsLevel = Metrics.MetricsLevel.None,
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _parts.DisposeAsync();

    [Theory]
    [InlineData(new[] { "AA\n" }, new[] { "AA\n" })]
    [InlineData(new[] { "AA\n", "BB\n", "CC\n" }, new[] { "AA\nBB\nCC\n" })]
    [InlineData(new[] { "AAAAAAAAAAAA\n" }, new[] { "AAAAAAAAAAAA\n" })]
    [InlineData(new[] { "AAAAAAAAAAAA\n", "BBBBBBBBBBBB\n", "CCCCCCCCCCCC\n" }, new[] { "AAAAAAAAAAAA\n", "BBBBBBBBBBBB\n", "CCCCCCCCCCCC\n" })]
    [InlineData(new[] { "AAAA\n", "BBBB\n", "CCCC\n" }, new[] { "AAAA\nBBBB\n", "CCCC\n" })]
    public void Lines_are_joined_as_the_agents_splitter_joins_them(string[] lines, string[] expected)
    {
        var builder = new FirehoseBatchBuilder(10, 500, 4 * 1024 * 1024);

        foreach (var line in lines)
        {
            Assert.Null(builder.Add(Record(line)));
        }

        var batch = builder.TakeBatch();
        Assert.Equal(expected, batch.Select(i => Encoding.ASCII.GetString(i.Data.Span)));
        Assert.Equal(lines, batch.SelectMany(i => i.Users).Select(u => Encoding.ASCII.GetString(u.Data)));
    }

    [Fact]
    public void Records_without_a_newline_are_separated_by_one_counted_in_the_size()
    {
        var builder = new FirehoseBatchBuilder(7, 500, 4 * 1024 * 1024);

        foreach (var text in new[] { "ab", "cd", "ef", "g\n", "h" })
        {
            builder.Add(Record(text));
        }

        Assert.Equal(["ab\ncd", "ef\ng\nh"], builder.TakeBatch().Select(i => Encoding.ASCII.GetString(i.Data.Span)));
    }

    [Fact]
    public void Without_joining_every_record_is_its_own_Firehose_record_and_batches_stop_at_the_count()
    {
        var builder = new FirehoseBatchBuilder(0, 3, 4 * 1024 * 1024);
        var full = new List<List<FirehoseRecordItem>>();

        for (var i = 0; i < 7; i++)
        {
            if (builder.Add(Record($"{i}\n")) is { } batch)
            {
                full.Add(batch);
            }
        }

        full.Add(builder.TakeBatch());
        Assert.Equal([3, 3, 1], full.Select(b => b.Count));
        Assert.All(full.SelectMany(b => b), item => Assert.Single(item.Users));
    }

    [Fact]
    public void Batches_stop_before_their_bytes_pass_the_limit_joined_or_not()
    {
        var builder = new FirehoseBatchBuilder(300, 500, 1000);
        var sizes = new List<long>();

        for (var i = 0; i < 20; i++)
        {
            if (builder.Add(Record(new string('x', 99) + "\n")) is { } batch)
            {
                sizes.Add(batch.Sum(item => (long)item.Data.Length));
            }
        }

        sizes.Add(builder.TakeBatch().Sum(item => (long)item.Data.Length));
        Assert.All(sizes, s => Assert.InRange(s, 1, 1000));
        Assert.Equal(2000, sizes.Sum());
    }

    private FirehoseUserRecord Record(string text) =>
        new(_parts, "logs", Encoding.ASCII.GetBytes(text), acceptedAt: 0, new FlushEpoch(null), awaited: false, observer: null, token: 0);
}
