using System.Globalization;
using System.Numerics;
using CsCheck;
using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Positions;

public sealed class ExtendedSequenceNumberTests
{
    // In ascending order, as the KCL's compareTo orders them.
    private static readonly ExtendedSequenceNumber[] Ascending =
    [
        ExtendedSequenceNumber.AtTimestamp,
        ExtendedSequenceNumber.TrimHorizon,
        ExtendedSequenceNumber.Latest,
        new("0"),
        new("0", 5),
        new("9"),
        new("10"),
        new("49590338271490256608559692538361571095921575989136588898"),
        new("49590338271490256608559692538361571095921575989136588898", 1),
        new("49590338271490256608559692538361571095921575989136588899"),
        new("149590338271490256608559692538361571095921575989136588898"),
        ExtendedSequenceNumber.ShardEnd,
    ];

    [Fact]
    public void Positions_order_as_the_KCL_orders_them()
    {
        for (var i = 0; i < Ascending.Length; i++)
        {
            for (var j = 0; j < Ascending.Length; j++)
            {
                Assert.True(
                    Math.Sign(Ascending[i].CompareTo(Ascending[j])) == Math.Sign(i.CompareTo(j)),
                    $"{Ascending[i]} vs {Ascending[j]}");
            }
        }
    }

    [Fact]
    public void Operators_agree_with_CompareTo()
    {
        var a = new ExtendedSequenceNumber("100", 2);
        var b = new ExtendedSequenceNumber("100", 3);

        Assert.True(a < b);
        Assert.True(a <= b);
        Assert.False(a > b);
        Assert.False(a >= b);
        Assert.True(a <= new ExtendedSequenceNumber("100", 2));
        Assert.True(b > a);
    }

    [Fact]
    public void Leading_zeros_compare_by_value_but_keep_their_text()
    {
        var padded = new ExtendedSequenceNumber("0042");
        var plain = new ExtendedSequenceNumber("42");

        Assert.Equal(0, padded.CompareTo(plain));
        Assert.NotEqual(padded, plain);
        Assert.Equal("0042", padded.SequenceNumber);
    }

    [Theory]
    [InlineData("TRIM_HORIZON", true, false)]
    [InlineData("LATEST", true, false)]
    [InlineData("AT_TIMESTAMP", true, false)]
    [InlineData("SHARD_END", true, true)]
    [InlineData("12345", false, false)]
    public void Sentinels_are_recognised(string value, bool sentinel, bool shardEnd)
    {
        var position = new ExtendedSequenceNumber(value);

        Assert.Equal(sentinel, position.IsSentinel);
        Assert.Equal(shardEnd, position.IsShardEnd);
        Assert.Equal(0, position.SubSequenceNumber);
    }

    [Theory]
    [InlineData("")]
    [InlineData("trim_horizon")]
    [InlineData("-5")]
    [InlineData("12a")]
    [InlineData(" 12")]
    [InlineData("١٢")]
    public void Anything_but_digits_or_a_sentinel_is_rejected(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => new ExtendedSequenceNumber(value));
        Assert.Equal("sequenceNumber", error.ParamName);
    }

    [Fact]
    public void The_default_value_cannot_be_compared()
    {
        Assert.Throws<InvalidOperationException>(() => default(ExtendedSequenceNumber).CompareTo(ExtendedSequenceNumber.Latest));
        Assert.Throws<InvalidOperationException>(() => ExtendedSequenceNumber.Latest.CompareTo(default));
    }

    [Fact]
    public void Sequence_numbers_compare_as_big_integers_then_by_sub_sequence()
    {
        var digits = Gen.Char['0', '9'].Array[1, 60].Select(chars => new string(chars));
        SeededCheck.ForAll(
            Gen.Select(digits, Gen.Long[0, 3], digits, Gen.Long[0, 3]),
            t =>
            {
                var (s1, sub1, s2, sub2) = t;
                var byValue = BigInteger.Parse(s1, CultureInfo.InvariantCulture).CompareTo(BigInteger.Parse(s2, CultureInfo.InvariantCulture));
                var expected = byValue != 0 ? byValue : sub1.CompareTo(sub2);
                Assert.Equal(Math.Sign(expected), Math.Sign(new ExtendedSequenceNumber(s1, sub1).CompareTo(new ExtendedSequenceNumber(s2, sub2))));
            },
            cases: 500, stream: 7);
    }
}
