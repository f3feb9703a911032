using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Tests.Http;

namespace Kinesis.Clients.Tests.CloudWatch;

/// <summary>Data that breaks a PutMetricData rule fail before sending, naming the field and the limit.</summary>
public sealed class CloudWatchClientValidationTests : IAsyncDisposable
{
    private readonly ScriptedHttpServer _server = new(_ => ScriptedHttpServer.Reset());
    private readonly CloudWatchClient _client;

    public CloudWatchClientValidationTests()
    {
        _client = CloudWatchClients.For(_server.Endpoint);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        Assert.Equal(0, _server.Requests);
        await _server.DisposeAsync();
    }

    [Fact]
    public void More_than_1000_data_are_rejected()
    {
        var data = Enumerable.Range(0, 1001).Select(i => Datum() with { MetricName = $"M{i}" }).ToArray();

        var ex = Rejected(data);

        Assert.Equal("data", ex.ParamName);
        Assert.Contains("1000", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1001", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_data_is_rejected() =>
        Assert.Equal("data", Rejected([]).ParamName);

    [Fact]
    public void More_than_30_dimensions_are_rejected()
    {
        var datum = Datum() with { Dimensions = [.. Enumerable.Range(0, 31).Select(i => new MetricDimension($"D{i}", "v"))] };

        var ex = Rejected([Datum(), datum]);

        Assert.Equal("data[1].Dimensions", ex.ParamName);
        Assert.Contains("30", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "1-1024")]
    [InlineData("   ", "1-1024")]
    [InlineData("caf\u00e9", "ASCII")]
    [InlineData("tab\there", "ASCII")]
    public void Bad_dimension_values_are_rejected(string value, string expected)
    {
        var datum = Datum() with { Dimensions = [new("StreamName", value)] };

        var ex = Rejected([datum]);

        Assert.Equal("data[0].Dimensions[0].Value", ex.ParamName);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dimension_value_of_1024_characters_is_accepted_and_1025_is_not()
    {
        var ok = Datum() with { Dimensions = [new("D", new string('v', 1024))] };
        var tooLong = Datum() with { Dimensions = [new("D", new string('v', 1025))] };

        MetricDataValidation.ValidateData([ok], DateTimeOffset.UtcNow, "data");
        Rejected([tooLong]);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":colon")]
    [InlineData("caf\u00e9")]
    public void Bad_dimension_names_are_rejected(string name)
    {
        var datum = Datum() with { Dimensions = [new(name, "v")] };

        var ex = Rejected([datum]);

        Assert.Equal("data[0].Dimensions[0].Name", ex.ParamName);
    }

    [Fact]
    public void A_dimension_name_of_256_characters_is_rejected()
    {
        var datum = Datum() with { Dimensions = [new(new string('n', 256), "v")] };

        Assert.Contains("255", Rejected([datum]).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_dimension_name_is_rejected()
    {
        var datum = Datum() with { Dimensions = [new("StreamName", "a"), new("StreamName", "b")] };

        Assert.Contains("twice", Rejected([datum]).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(4.7e108)]
    public void Values_CloudWatch_refuses_are_rejected(double value)
    {
        var ex = Rejected([Datum() with { Value = value }]);

        Assert.Equal("data[0].Value", ex.ParamName);
        Assert.Contains("2^360", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_accepted_magnitude_is_2_to_the_360()
    {
        MetricDataValidation.ValidateData(
            [Datum() with { Value = Math.Pow(2, 360) }, Datum() with { Value = -Math.Pow(2, 360) }], DateTimeOffset.UtcNow, "data");
    }

    [Fact]
    public void A_statistic_set_with_NaN_names_the_statistic()
    {
        var datum = Datum() with { Value = null, StatisticValues = new StatisticSet(1, double.NaN, 0, 0) };

        Assert.Equal("data[0].StatisticValues.Sum", Rejected([datum]).ParamName);
    }

    [Fact]
    public void A_statistic_set_needs_samples_and_minimum_not_above_maximum()
    {
        var noSamples = Datum() with { Value = null, StatisticValues = new StatisticSet(0, 0, 0, 0) };
        var inverted = Datum() with { Value = null, StatisticValues = new StatisticSet(2, 3, 2, 1) };

        Assert.Equal("data[0].StatisticValues.SampleCount", Rejected([noSamples]).ParamName);
        Assert.Equal("data[0].StatisticValues.Minimum", Rejected([inverted]).ParamName);
    }

    [Fact]
    public void Exactly_one_of_value_and_statistics_is_required()
    {
        var both = Datum() with { StatisticValues = new StatisticSet(1, 1, 1, 1) };
        var neither = Datum() with { Value = null };

        Assert.Contains("exactly one", Rejected([both]).Message, StringComparison.Ordinal);
        Assert.Contains("exactly one", Rejected([neither]).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-15 * 24 * 60)]
    [InlineData(3 * 60)]
    public void Timestamps_outside_two_weeks_back_and_two_hours_ahead_are_rejected(int minutesFromNow)
    {
        var datum = Datum() with { Timestamp = DateTimeOffset.UtcNow.AddMinutes(minutesFromNow) };

        var ex = Rejected([datum]);

        Assert.Equal("data[0].Timestamp", ex.ParamName);
        Assert.Contains("two weeks", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":ns")]
    [InlineData("AWS/Kinesis")]
    [InlineData("caf\u00e9")]
    public void Bad_namespaces_are_rejected(string @namespace)
    {
        var ex = Rejected([Datum()], @namespace);

        Assert.Equal("namespace", ex.ParamName);
    }

    [Fact]
    public void A_metric_name_of_256_characters_is_rejected()
    {
        var ex = Rejected([Datum() with { MetricName = new string('m', 256) }]);

        Assert.Equal("data[0].MetricName", ex.ParamName);
    }

    [Fact]
    public void Storage_resolution_must_be_1_or_60()
    {
        var ex = Rejected([Datum() with { StorageResolution = 5 }]);

        Assert.Equal("data[0].StorageResolution", ex.ParamName);
    }

    [Fact]
    public void A_request_over_1000000_bytes_is_rejected()
    {
        var dimensions = Enumerable.Range(0, 30).Select(i => new MetricDimension($"D{i}", new string('v', 1000))).ToArray();
        var data = Enumerable.Range(0, 40).Select(i => Datum() with { Dimensions = dimensions }).ToArray();

        var ex = Rejected(data);

        Assert.Equal("data", ex.ParamName);
        Assert.Contains("1000000 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_are_validated_by_name()
    {
        Assert.Equal("RequestTimeout", Assert.Throws<ArgumentException>(
            () => new CloudWatchClient(new CloudWatchClientOptions { RequestTimeout = TimeSpan.Zero, Region = "us-east-1" })).ParamName);
        Assert.Equal("MaxConnections", Assert.Throws<ArgumentException>(
            () => new CloudWatchClient(new CloudWatchClientOptions { MaxConnections = 0, Region = "us-east-1" })).ParamName);
        Assert.Equal("ServiceUrl", Assert.Throws<ArgumentException>(
            () => new CloudWatchClient(new CloudWatchClientOptions { ServiceUrl = new Uri("ftp://x/"), Region = "us-east-1" })).ParamName);
    }

    // Validation happens before anything is sent, so the call throws at once instead of returning a task.
    private ArgumentException Rejected(IReadOnlyList<MetricDatum> data, string @namespace = "App")
    {
        try
        {
            _ = _client.PutMetricDataAsync(@namespace, data);
        }
        catch (ArgumentException ex)
        {
            return ex;
        }

        throw new Xunit.Sdk.XunitException("Expected an ArgumentException before anything was sent.");
    }

    private static MetricDatum Datum() => new("M") { Value = 1, Unit = MetricUnit.Count };
}
