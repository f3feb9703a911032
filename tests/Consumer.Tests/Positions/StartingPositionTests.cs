using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;

namespace Kinesis.Clients.Consumer.Tests.Positions;

/// <summary>Which shard iterator each starting position asks for, and what a lease checkpoint resumes from.</summary>
public sealed class StartingPositionTests
{
    private static readonly DateTimeOffset Time = new(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);

    // Positions by name, since theory parameters cannot be internal types.
    private static readonly Dictionary<string, StartingPosition> Named = new()
    {
        ["trim horizon"] = StartingPosition.TrimHorizon,
        ["latest"] = StartingPosition.Latest,
        ["at timestamp"] = StartingPosition.AtTimestamp(Time),
        ["after checkpoint 123/0"] = StartingPosition.AfterCheckpoint("123", 0),
        ["after checkpoint 123/7"] = StartingPosition.AfterCheckpoint("123", 7),
        ["after record 456"] = StartingPosition.AfterRecord("456"),
        ["after record 456 of 10"] = StartingPosition.AfterRecord("456", 9),
        ["after checkpoint long/0"] = StartingPosition.AfterCheckpoint("49590338271490256608559692538361571095921575989136588898", 0),
        ["after checkpoint long/3"] = StartingPosition.AfterCheckpoint("49590338271490256608559692538361571095921575989136588898", 3),
    };

    public static TheoryData<string, ShardIteratorType, string?, DateTimeOffset?, string?> IteratorCases => new()
    {
        { "trim horizon", ShardIteratorType.TrimHorizon, null, null, null },
        { "latest", ShardIteratorType.Latest, null, null, null },
        { "at timestamp", ShardIteratorType.AtTimestamp, null, Time, null },

        // A checkpoint re-reads its Kinesis record, whatever the sub-sequence: sub 0 may be the first of many.
        { "after checkpoint 123/0", ShardIteratorType.AtSequenceNumber, "123", null, "123/0" },
        { "after checkpoint 123/7", ShardIteratorType.AtSequenceNumber, "123", null, "123/7" },

        // A record known to be delivered whole is read after.
        { "after record 456", ShardIteratorType.AfterSequenceNumber, "456", null, "456/0" },
        { "after record 456 of 10", ShardIteratorType.AfterSequenceNumber, "456", null, "456/9" },
    };

    [Theory]
    [MemberData(nameof(IteratorCases))]
    public void Each_position_maps_to_its_iterator_and_skip_position(
        string name, ShardIteratorType type, string? sequence, DateTimeOffset? timestamp, string? checkpoint)
    {
        var position = Named[name];
        var request = position.ToIteratorRequest("orders", "shardId-000000000001");

        Assert.Equal(type, position.IteratorType);
        Assert.Equal(type, request.IteratorType);
        Assert.Equal(sequence, request.StartingSequenceNumber);
        Assert.Equal(timestamp, request.Timestamp);
        Assert.Equal("orders", request.StreamName);
        Assert.Null(request.StreamArn);
        Assert.Equal("shardId-000000000001", request.ShardId);
        Assert.Equal(checkpoint, position.Checkpoint?.ToString());
    }

    [Fact]
    public void A_stream_arn_is_sent_as_the_arn()
    {
        const string Arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders";
        var request = StartingPosition.Latest.ToIteratorRequest(Arn, "shardId-000000000000");
        Assert.Equal(Arn, request.StreamArn);
        Assert.Null(request.StreamName);
    }

    [Theory]
    [InlineData("TRIM_HORIZON", 0, "trim horizon")]
    [InlineData("LATEST", 0, "latest")]
    [InlineData("AT_TIMESTAMP", 0, "at timestamp")]
    [InlineData("49590338271490256608559692538361571095921575989136588898", 0, "after checkpoint long/0")]
    [InlineData("49590338271490256608559692538361571095921575989136588898", 3, "after checkpoint long/3")]
    public void A_lease_checkpoint_resumes_from_the_matching_position(string checkpoint, long sub, string expected)
    {
        var position = StartingPosition.FromCheckpoint(checkpoint, sub, Time);
        Assert.Equal(Named[expected], position);
    }

    [Fact]
    public void A_sequence_checkpoint_always_reads_its_record_again()
    {
        var position = StartingPosition.FromCheckpoint("42", 0);
        Assert.Equal(StartingPositionKind.AfterCheckpoint, position.Kind);
        Assert.Equal(ShardIteratorType.AtSequenceNumber, position.IteratorType);
        Assert.Equal(new RecordPosition("42", 0), position.Checkpoint);
    }

    [Theory]
    [InlineData("SHARD_END", 0, "checkpoint")]
    [InlineData("AT_TIMESTAMP", 0, "initialTimestamp")]
    [InlineData("12x", 0, "sequenceNumber")]
    [InlineData("-12", 0, "sequenceNumber")]
    [InlineData("12", -1, "subSequenceNumber")]
    public void Checkpoints_that_cannot_start_a_reader_are_refused(string checkpoint, long sub, string parameter)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => StartingPosition.FromCheckpoint(checkpoint, sub));
        Assert.Equal(parameter, error.ParamName);
    }

    [Fact]
    public void Bad_sequence_positions_are_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => StartingPosition.AfterRecord(""));
        Assert.ThrowsAny<ArgumentException>(() => StartingPosition.AfterRecord("1 2"));
        Assert.ThrowsAny<ArgumentException>(() => StartingPosition.AfterRecord("12", -1));
        Assert.ThrowsAny<ArgumentException>(() => StartingPosition.AfterCheckpoint("abc", 0));
        Assert.ThrowsAny<ArgumentException>(() => StartingPosition.Latest.ToIteratorRequest("", "shard"));
        Assert.ThrowsAny<ArgumentException>(() => StartingPosition.Latest.ToIteratorRequest("stream", ""));
    }

    [Fact]
    public void Positions_compare_by_value_and_print_for_logs()
    {
        Assert.Equal(StartingPosition.AfterRecord("5", 2), StartingPosition.AfterRecord("5", 2));
        Assert.NotEqual(StartingPosition.AfterRecord("5", 2), StartingPosition.AfterCheckpoint("5", 2));
        Assert.NotEqual(StartingPosition.AtTimestamp(Time), StartingPosition.AtTimestamp(Time.AddTicks(1)));
        Assert.Equal("AfterCheckpoint 5/2", StartingPosition.AfterCheckpoint("5", 2).ToString());
        Assert.Equal("TrimHorizon", StartingPosition.TrimHorizon.ToString());
        Assert.StartsWith("AtTimestamp 2026-05-06T07:08:09", StartingPosition.AtTimestamp(Time).ToString(), StringComparison.Ordinal);
    }

    public static TheoryData<string, long, string, long, int> OrderCases => new()
    {
        { "9", 0, "10", 0, -1 },
        { "10", 0, "9", 5, 1 },
        { "100", 3, "100", 4, -1 },
        { "100", 4, "100", 4, 0 },
        { "49590338271490256608559692538361571095921575989136588898", 0, "49590338271490256608559692538361571095921575989136588899", 0, -1 },
        { "123456789012345678901234567890123456789012345678901234567", 0, "99999999999999999999999999999999999999999999999999999999", 99, 1 },
    };

    [Theory]
    [MemberData(nameof(OrderCases))]
    public void Record_positions_order_by_sequence_value_then_sub_sequence(string leftSequence, long leftSub, string rightSequence, long rightSub, int order)
    {
        var left = new RecordPosition(leftSequence, leftSub);
        var right = new RecordPosition(rightSequence, rightSub);
        Assert.Equal(order, Math.Sign(left.CompareTo(right)));
        Assert.Equal(-order, Math.Sign(right.CompareTo(left)));
        Assert.Equal(order < 0, left < right);
        Assert.Equal(order <= 0, left <= right);
        Assert.Equal(order > 0, left > right);
        Assert.Equal(order >= 0, left >= right);
    }
}
