using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class KplPropertiesTests
{
    // The keys and values of the KPL's sample default_config.properties (java/amazon-kinesis-producer-sample),
    // in its order, with its commented-out keys and its early-release key Port.
    private const string KplSample = """
        # sample KPL configuration

        AggregationEnabled = true
        AggregationMaxCount = 4294967295
        AggregationMaxSize = 51200
        # AwsAccessKeyId =
        # AwsSecretKey =
        CollectionMaxCount = 500
        CollectionMaxSize = 5242880
        ConnectTimeout = 6000
        # CustomEndpoint =
        FailIfThrottled = false
        LogLevel = info
        MaxConnections = 4
        MetricsGranularity = shard
        MetricsLevel = detailed
        MetricsNamespace = KinesisProducerLibrary
        MinConnections = 1
        Port = 443
        RateLimit = 150
        RecordMaxBufferedTime = 100
        RecordTtl = 30000
        # Region =
        RequestTimeout = 6000
        VerifyCertificate = true

        """;

    [Fact]
    public void The_KPL_sample_file_loads_with_every_value()
    {
        var options = KinesisProducerOptions.FromKplProperties(new StringReader(KplSample));

        Assert.True(options.AggregationEnabled);
        Assert.Equal(4_294_967_295L, options.AggregationMaxCount);
        Assert.Equal(51_200, options.AggregationMaxSize);
        Assert.Equal(500, options.CollectionMaxCount);
        Assert.Equal(5_242_880, options.CollectionMaxSize);
        Assert.Equal(TimeSpan.FromMilliseconds(6000), options.ConnectTimeout);
        Assert.False(options.FailIfThrottled);
        Assert.Equal(4, options.MaxConnections);
        Assert.Equal(MetricsGranularity.Shard, options.MetricsGranularity);
        Assert.Equal(MetricsLevel.Detailed, options.MetricsLevel);
        Assert.Equal("KinesisProducerLibrary", options.MetricsNamespace);
        Assert.Equal(150, options.RateLimit);
        Assert.Equal(TimeSpan.FromMilliseconds(100), options.RecordMaxBufferedTime);
        Assert.Equal(TimeSpan.FromMilliseconds(30_000), options.RecordTtl);
        Assert.Null(options.Region);
        Assert.Equal(TimeSpan.FromMilliseconds(6000), options.RequestTimeout);
        Assert.True(options.VerifyCertificate);
        Assert.Null(options.KinesisEndpoint);
        Assert.Equal(["LogLevel", "MinConnections", "Port"], options.NotApplicableKplKeys.Select(k => k.Key));
        options.Validate();
    }

    [Fact]
    public void A_file_on_disk_loads_as_the_text_does()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, KplSample);

            var options = KinesisProducerOptions.FromKplProperties(path);

            Assert.Equal(4, options.MaxConnections);
            Assert.Equal(TimeSpan.FromMilliseconds(6000), options.ConnectTimeout);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Keys_the_file_leaves_out_keep_the_KPL_defaults()
    {
        var options = KinesisProducerOptions.FromKplProperties(new StringReader("RateLimit=95\n"));

        Assert.Equal(95, options.RateLimit);
        var defaults = new KinesisProducerOptions();
        Assert.Equal(defaults.AggregationMaxCount, options.AggregationMaxCount);
        Assert.Equal(uint.MaxValue, options.AggregationMaxCount);
        Assert.Equal(24, options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(6), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(6), options.RequestTimeout);
    }

    [Fact]
    public void The_Java_properties_syntax_is_read()
    {
        const string Text = "  ! a comment\n\tMetricsNamespace:My\\u0041pp\nRegion eu-west-1\nMetricsLevel=\\\n    summary\nRecordTtl = 99\nRecordTtl = 100\n";

        var options = KinesisProducerOptions.FromKplProperties(new StringReader(Text));

        Assert.Equal("MyApp", options.MetricsNamespace);
        Assert.Equal("eu-west-1", options.Region);
        Assert.Equal(MetricsLevel.Summary, options.MetricsLevel);

        // As java.util.Properties: the last value of a repeated key wins; alone, the out-of-range one is refused.
        var ex = Assert.Throws<ArgumentException>(() => KinesisProducerOptions.FromKplProperties(new StringReader(Text.Replace("RecordTtl = 100\n", "", StringComparison.Ordinal))));
        Assert.Contains("line 6", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RecordTtl = 99", "RecordTtl", "between 100 and 9223372036854775807")]
    [InlineData("AggregationMaxSize = 1048577", "AggregationMaxSize", "between 64 and 1048576")]
    [InlineData("AggregationMaxCount = 0", "AggregationMaxCount", "between 1 and 9223372036854775807")]
    [InlineData("CollectionMaxCount = 501", "CollectionMaxCount", "between 1 and 500")]
    [InlineData("ConnectTimeout = 99", "ConnectTimeout", "between 100 and 300000")]
    [InlineData("RequestTimeout = 600001", "RequestTimeout", "between 100 and 600000")]
    [InlineData("MaxConnections = 257", "MaxConnections", "between 1 and 256")]
    [InlineData("MetricsUploadDelay = 60001", "MetricsUploadDelay", "between 1000 and 60000")]
    [InlineData("RecordMaxBufferedTime = -1", "RecordMaxBufferedTime", "between 0 and")]
    [InlineData("ProxyPort = 0", "ProxyPort", "between 1 and 65535")]
    [InlineData("KinesisPort = 70000\nKinesisEndpoint = localhost", "KinesisPort", "between 1 and 65535")]
    [InlineData("MinConnections = 17", "MinConnections", "between 1 and 16")]
    [InlineData("MaxConnections = 4 connections", "MaxConnections", "an integer between 1 and 256")]
    [InlineData("AggregationEnabled = yes", "AggregationEnabled", "true or false")]
    [InlineData("MetricsLevel = verbose", "MetricsLevel", "one of none, summary, detailed")]
    [InlineData("LogLevel = debug", "LogLevel", "one of info, warning, error")]
    [InlineData("Region = Europe", "Region", "matching")]
    [InlineData("MetricsNamespace = AWS/Kinesis", "MetricsNamespace", "matching")]
    [InlineData("KinesisEndpoint = kinesis.example.com/path", "KinesisEndpoint", "matching")]
    public void A_value_outside_the_KPL_range_names_the_key_the_line_and_the_range(string text, string key, string expected)
    {
        var ex = Assert.Throws<ArgumentException>(() => KinesisProducerOptions.FromKplProperties(new StringReader("# first\n" + text)));

        Assert.Equal(key, ex.ParamName);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_is_an_error_naming_it_and_its_line_with_a_hint_for_a_case_slip()
    {
        var unknown = Assert.Throws<ArgumentException>(() => KinesisProducerOptions.FromKplProperties(new StringReader("RateLimit=150\n\nRecordsPerSecond = 5\n")));
        var slip = Assert.Throws<ArgumentException>(() => KinesisProducerOptions.FromKplProperties(new StringReader("RecordTTL = 5000\n")));

        Assert.Contains("line 3: 'RecordsPerSecond' is not a KPL configuration key", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("RecordsPerSecond", unknown.ParamName);
        Assert.Contains("did you mean 'RecordTtl'", slip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Endpoints_are_a_host_and_a_port_over_TLS_or_a_whole_URI()
    {
        var options = KinesisProducerOptions.FromKplProperties(new StringReader(
            "KinesisEndpoint = kinesis.internal\nKinesisPort = 8443\nCloudwatchEndpoint = http://127.0.0.1:4566\n"));

        Assert.Equal(new Uri("https://kinesis.internal:8443/"), options.KinesisEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:4566/"), options.CloudWatchEndpoint);
    }

    [Fact]
    public void Proxy_settings_load_and_the_password_never_appears_in_an_error()
    {
        var options = KinesisProducerOptions.FromKplProperties(new StringReader(
            "ProxyHost = proxy.example.com\nProxyPort = 3128\nProxyUserName = svc\nProxyPassword = s3cret!\nVerifyCertificate = FALSE\n"));

        Assert.Equal("proxy.example.com", options.ProxyHost);
        Assert.Equal(3128, options.ProxyPort);
        Assert.Equal("svc", options.ProxyUserName);
        Assert.Equal("s3cret!", options.ProxyPassword);
        Assert.False(options.VerifyCertificate);
        Assert.Equal(new Uri("http://proxy.example.com:3128/"), ProducerHttp.ProxyUri(options));
        var proxy = ProducerHttp.ProxyOf(options)!;
        Assert.Equal("s3cret!", proxy.Credentials!.GetCredential(proxy.Address!, "Basic")!.Password);

        options.ProxyHost = "http://bad host";
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Equal(nameof(KinesisProducerOptions.ProxyHost), ex.ParamName);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_proxy_URI_keeps_its_own_port_and_a_bare_host_takes_ProxyPort()
    {
        var withPort = new KinesisProducerOptions { ProxyHost = "https://proxy.example.com:8080", ProxyPort = 3128 };
        var withoutPort = new KinesisProducerOptions { ProxyHost = "https://proxy.example.com", ProxyPort = 3128 };
        var address = new KinesisProducerOptions { ProxyHost = "192.168.0.1" };

        Assert.Equal(new Uri("https://proxy.example.com:8080/"), ProducerHttp.ProxyUri(withPort));
        Assert.Equal(new Uri("https://proxy.example.com:3128/"), ProducerHttp.ProxyUri(withoutPort));
        Assert.Equal(new Uri("http://192.168.0.1:443/"), ProducerHttp.ProxyUri(address));
    }

    [Fact]
    public void Native_process_keys_are_checked_then_set_nothing_and_are_listed_once()
    {
        const string Text = "NativeExecutable=/opt/kpl\nTempDirectory=/tmp/kpl\nThreadingModel=POOLED\nThreadPoolSize=8\nEnableCoreDumps=true\n"
            + "CredentialsRefreshDelay=5000\nUserRecordTimeoutInMillis=0\nStsEndpoint=sts.example.com\nStsPort=443\nCaCertPath=/etc/ssl\n"
            + "CaCertFile=/etc/ssl/ca.pem\nGlueSchemaRegistryPropertiesFilePath=/etc/gsr.properties\nThreadPoolSize=16\n";

        var options = KinesisProducerOptions.FromKplProperties(new StringReader(Text));

        Assert.Equal(12, options.NotApplicableKplKeys.Count);
        Assert.All(options.NotApplicableKplKeys, k => Assert.False(string.IsNullOrWhiteSpace(k.Why)));
        Assert.Throws<ArgumentException>(() => KinesisProducerOptions.FromKplProperties(new StringReader("ThreadingModel=SINGLE\n")));
        Assert.Throws<ArgumentException>(() => KinesisProducerOptions.FromKplProperties(new StringReader("CredentialsRefreshDelay=0\n")));
    }
}
