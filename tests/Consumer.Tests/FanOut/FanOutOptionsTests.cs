using Kinesis.Clients.Consumer.FanOut;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

public sealed class FanOutOptionsTests
{
    public static TheoryData<string, Action<FanOutOptions>> Invalid => new()
    {
        { nameof(FanOutOptions.SilenceTimeout), o => o.SilenceTimeout = TimeSpan.Zero },
        { nameof(FanOutOptions.SilenceTimeout), o => o.SilenceTimeout = Timeout.InfiniteTimeSpan },
        { nameof(FanOutOptions.ResubscribeInterval), o => o.ResubscribeInterval = TimeSpan.FromSeconds(-1) },
        { nameof(FanOutOptions.RetryBaseDelay), o => o.RetryBaseDelay = TimeSpan.Zero },
        { nameof(FanOutOptions.RetryMaxDelay), o => o.RetryMaxDelay = TimeSpan.FromMilliseconds(500) },
        { nameof(FanOutOptions.ConnectTimeout), o => o.ConnectTimeout = TimeSpan.Zero },
        { nameof(FanOutOptions.RegistrationTimeout), o => o.RegistrationTimeout = TimeSpan.FromSeconds(-5) },
        { nameof(FanOutOptions.ConsumerName), o => o.ConsumerName = "no spaces allowed" },
        { nameof(FanOutOptions.ConsumerName), o => o.ConsumerName = new string('a', 129) },
        { nameof(FanOutOptions.ConsumerArn), o => o.ConsumerArn = " " },
        { nameof(FanOutOptions.ServiceUrl), o => o.ServiceUrl = new Uri("ftp://example.com/") },
        { nameof(FanOutOptions.Protocol), o => o.Protocol = (WireProtocol)7 },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_option_is_rejected_by_name(string option, Action<FanOutOptions> breakIt)
    {
        var options = new FanOutOptions();
        breakIt(options);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(option, error.ParamName);
    }

    [Fact]
    public void The_defaults_follow_the_service()
    {
        var options = new FanOutOptions();

        options.Validate();
        Assert.Equal(TimeSpan.FromSeconds(5), options.ResubscribeInterval);
        Assert.Equal(TimeSpan.FromSeconds(35), options.SilenceTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetryMaxDelay);
        Assert.Null(options.ServiceUrl);
        Assert.Null(options.Protocol);
    }
}
