using System.Formats.Cbor;
using System.Text;

namespace Kinesis.Clients.Consumer.Tests.Failures;

/// <summary>The dead-letter record layout: what is written reads back, byte strings stay bytes, foreign data is refused.</summary>
public sealed class DeadLetterRecordTests
{
    private static readonly DateTimeOffset Arrival = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);
    private static readonly DateTimeOffset FailedAt = new(2026, 3, 1, 12, 5, 0, 456, TimeSpan.Zero);

    [Fact]
    public void A_record_reads_back_with_its_origin_and_failure()
    {
        byte[] data = [0x00, 0xFF, 0x10, 0x80];
        var record = new ConsumerRecord("49590338271490256608559692538361571095921575989136588898", 3, "customer-17", "12345", Arrival, data, isAggregated: true);
        var failure = new FailedBatch("shardId-000000000007", [record], new FormatException("bad amount"), 4);

        var bytes = DeadLetterRecord.Encode("orders-app", "orders", "shardId-000000000007", record, failure, FailedAt);
        var read = DeadLetterRecord.Decode(bytes);

        Assert.Equal([0xD9, 0xD9, 0xF7], bytes[..3]);
        Assert.Equal("orders-app", read.Application);
        Assert.Equal("orders", read.StreamName);
        Assert.Equal("shardId-000000000007", read.ShardId);
        Assert.Equal(record.SequenceNumber, read.SequenceNumber);
        Assert.Equal(3, read.SubSequenceNumber);
        Assert.Equal("customer-17", read.PartitionKey);
        Assert.Equal("12345", read.ExplicitHashKey);
        Assert.Equal(Arrival, read.ApproximateArrivalTimestamp);
        Assert.Equal(FailedAt, read.FailedAt);
        Assert.Equal(4, read.Attempts);
        Assert.Equal("System.FormatException", read.ErrorType);
        Assert.Equal("bad amount", read.ErrorMessage);
        Assert.Equal(data, read.Data.ToArray());
    }

    [Fact]
    public void A_plain_record_has_no_explicit_hash_key_and_a_long_message_is_cut_whole()
    {
        var record = new ConsumerRecord("1", 0, "k", null, Arrival, Encoding.UTF8.GetBytes("x"), isAggregated: false);
        // 999 characters, then a surrogate pair across the 1,000-character mark.
        var message = new string('m', 999) + "\U0001F600" + "tail";
        var failure = new FailedBatch("shardId-000000000000", [record], new InvalidOperationException(message), 1);

        var read = DeadLetterRecord.Decode(DeadLetterRecord.Encode("a", "s", "shardId-000000000000", record, failure, FailedAt));

        Assert.Null(read.ExplicitHashKey);
        Assert.Equal(new string('m', 999), read.ErrorMessage);
    }

    [Fact]
    public void Keys_of_a_later_version_are_skipped()
    {
        var writer = new CborWriter();
        writer.WriteStartMap(8);
        foreach (var (key, value) in new[] { ("app", "a"), ("stream", "s"), ("shard", "shardId-000000000000"), ("seq", "1"), ("pk", "k"), ("future", "?") })
        {
            writer.WriteTextString(key);
            writer.WriteTextString(value);
        }

        writer.WriteTextString("v");
        writer.WriteInt32(1);
        writer.WriteTextString("data");
        writer.WriteByteString([1, 2]);
        writer.WriteEndMap();

        var read = DeadLetterRecord.Decode(writer.Encode());

        Assert.Equal([1, 2], read.Data.ToArray());
        Assert.Equal("k", read.PartitionKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not cbor at all")]
    [InlineData("a1617602")] // {"v": 2}
    public void Data_that_is_not_a_dead_letter_record_is_refused(string input)
    {
        var bytes = input.Length > 0 && input.All(char.IsAsciiHexDigit) ? Convert.FromHexString(input) : Encoding.UTF8.GetBytes(input);

        Assert.Throws<FormatException>(() => DeadLetterRecord.Decode(bytes));
    }
}
