using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Testing.Tests.Aggregation;

/// <summary>The load tools' sink counts acknowledged user records with <see cref="UserRecordCount"/>.</summary>
public sealed class UserRecordCountTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(500)]
    public void An_aggregate_counts_as_its_records_as_the_deaggregator_sees_them(int records)
    {
        using var builder = new AggregateBuilder(maxEncodedSize: 1 << 20);
        for (var i = 0; i < records; i++)
        {
            Assert.True(builder.TryAdd($"key-{i % 7}", i % 5 == 0 ? "12345" : null, Encoding.UTF8.GetBytes($"record {i}")));
        }

        var data = builder.ToArray();

        Assert.Equal(records, UserRecordCount.Of(data));
        Assert.Equal(Deaggregator.Deaggregate("k", data).Count, UserRecordCount.Of(data));
    }

    [Fact]
    public void A_plain_record_counts_as_one_even_if_it_starts_like_an_aggregate()
    {
        Assert.Equal(1, UserRecordCount.Of("just a log line"u8));
        Assert.Equal(1, UserRecordCount.Of([]));
        Assert.Equal(1, UserRecordCount.Of([.. AggregationFormat.Magic, 0x1A, 0x7F, .. new byte[16]]));
    }

    [Fact]
    public void A_truncated_aggregate_counts_as_one_record_not_as_part_of_its_records()
    {
        using var builder = new AggregateBuilder();
        for (var i = 0; i < 10; i++)
        {
            builder.TryAdd("k", null, new byte[100]);
        }

        var data = builder.ToArray();

        Assert.Equal(10, UserRecordCount.Of(data));
        Assert.Equal(1, UserRecordCount.Of(data.AsSpan(0, data.Length - 300)));
    }
}
