namespace Kinesis.Clients.Tests.Kinesis;

public sealed class SubscribePositionTests
{
    [Fact]
    public void Starting_positions_name_themselves_as_the_API_does()
    {
        Assert.Equal("TRIM_HORIZON", SubscribePosition.TrimHorizon.WireType);
        Assert.Equal("LATEST", SubscribePosition.Latest.WireType);
        Assert.Equal("AT_SEQUENCE_NUMBER 12", SubscribePosition.AtSequenceNumber("12").ToString());
        Assert.Equal("AFTER_SEQUENCE_NUMBER 12", SubscribePosition.AfterSequenceNumber("12").ToString());
        Assert.Equal("AT_TIMESTAMP 2026-01-02T03:04:05.0000000+00:00", SubscribePosition.AtTimestamp(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero)).ToString());
    }

    [Theory]
    [InlineData("12a")]
    [InlineData("")]
    [InlineData("-1")]
    public void A_sequence_number_that_is_not_a_decimal_is_refused(string sequenceNumber)
    {
        Assert.Throws<ArgumentException>(() => SubscribePosition.AfterSequenceNumber(sequenceNumber));
        Assert.Throws<ArgumentException>(() => SubscribePosition.AtSequenceNumber(sequenceNumber));
    }
}
