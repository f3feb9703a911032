using System.Buffers;
using System.Text;
using Kinesis.Clients.Agent.Configuration;
using Kinesis.Clients.Agent.Ec2;
using Kinesis.Clients.Agent.Processing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Agent.Tests.Processing;

/// <summary>ADDEC2METADATA reading the instance identity through IMDSv2 from the kit's loopback metadata server.</summary>
public sealed class Ec2MetadataTests
{
    // Longer than the 2 s the agent allows a metadata request: on a loaded machine the loopback server and a fresh
    // HttpClient can take that long, and a refresh that timed out is not tried again before the next TTL, which the
    // fake clock never reaches. What is checked does not depend on how long a read takes.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    [Fact(Timeout = 60_000)]
    public async Task The_identity_is_read_with_an_IMDSv2_token_and_added_with_the_Java_field_names()
    {
        await using var imds = await LoopbackSts.StartAsync();
        var clock = UtcClock(new DateTimeOffset(2024, 5, 1, 12, 34, 56, TimeSpan.Zero));
        using var source = new InstanceIdentitySource(imds.MetadataEndpoint, TimeSpan.FromHours(1), clock, NullLogger.Instance, RequestTimeout);
        var chain = ProcessingChain.Create([new AddEc2MetadataOption()], clock, _ => () => source.Current);

        Assert.Equal(
            "{\"level\":\"info\",\"privateIp\":\"10.0.0.12\",\"availabilityZone\":\"eu-west-1a\",\"instanceId\":\"i-0123456789abcdef0\","
            + "\"instanceType\":\"m5.large\",\"accountId\":\"123456789012\",\"amiId\":\"ami-0abcdef1234567890\",\"region\":\"eu-west-1\","
            + "\"metadataTimestamp\":\"2024-05-01T12:34:56+0000\"}\n",
            Convert(chain, "{\"level\":\"info\"}\n"));
        Assert.Equal(1, imds.InstanceIdentityReads);
        Assert.Empty(imds.Rejections);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_identity_is_read_again_once_the_TTL_has_passed_and_not_before()
    {
        await using var imds = await LoopbackSts.StartAsync();
        var clock = UtcClock(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero));
        using var source = new InstanceIdentitySource(imds.MetadataEndpoint, TimeSpan.FromSeconds(60), clock, NullLogger.Instance, RequestTimeout);
        var chain = ProcessingChain.Create([new AddEc2MetadataOption { MetadataTtl = TimeSpan.FromSeconds(60) }], clock, _ => () => source.Current);

        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Contains("m5.large", Convert(chain, "{}\n"), StringComparison.Ordinal);
        Assert.Equal(1, imds.InstanceIdentityReads);

        imds.InstanceIdentityDocument = imds.InstanceIdentityDocument.Replace("m5.large", "c7g.xlarge", StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.HoldsAsync(
            () => Convert(chain, "{}\n").Contains("c7g.xlarge", StringComparison.Ordinal), "the refreshed identity to be used", 2 * RequestTimeout);
        Assert.Equal(2, imds.InstanceIdentityReads);
    }

    [Fact]
    public void Without_a_metadata_service_records_pass_unchanged()
    {
        var unreachable = new Uri("http://127.0.0.1:1/");
        using var source = new InstanceIdentitySource(unreachable, TimeSpan.FromHours(1), TimeProvider.System, NullLogger.Instance);
        var chain = ProcessingChain.Create([new AddEc2MetadataOption()], TimeProvider.System, _ => () => source.Current);

        var output = new ArrayBufferWriter<byte>();
        Assert.Null(source.Current);
        Assert.Equal(ProcessingOutcome.Unchanged, chain.Process("{\"a\":1}\n"u8, output));
    }

    [Fact]
    public void The_timestamp_uses_the_host_time_zone_as_Java_SimpleDateFormat_Z()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""{"instanceId":"i-1"}""");
        var fields = InstanceIdentitySource.Fields(document.RootElement, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5.5)));

        Assert.Equal("2024-01-02T03:04:05-0530", fields.GetProperty("metadataTimestamp").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, fields.GetProperty("privateIp").ValueKind);
    }

    private static string Convert(ProcessingChain chain, string record)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Equal(ProcessingOutcome.Converted, chain.Process(Encoding.UTF8.GetBytes(record), output));
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>A fake clock whose local time zone is UTC, so metadataTimestamp does not depend on the test host.</summary>
    private static FakeTimeProvider UtcClock(DateTimeOffset start)
    {
        var clock = new FakeTimeProvider(start);
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }
}
