using System.Formats.Cbor;
using System.Net;
using System.Text;

namespace Kinesis.Clients.Tests.Errors;

public sealed class AwsErrorParserTests
{
    [Fact]
    public void Json_error_body_gives_code_message_and_subtype()
    {
        var body = Encoding.UTF8.GetBytes("{\"__type\":\"com.amazonaws.kinesis.v20131202#ResourceNotFoundException\",\"message\":\"Stream s not found\"}");

        var ex = Parse(HttpStatusCode.BadRequest, body, "application/x-amz-json-1.1");

        var notFound = Assert.IsType<ResourceNotFoundException>(ex);
        Assert.Equal("ResourceNotFoundException", notFound.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, notFound.StatusCode);
        Assert.Equal("req-1", notFound.RequestId);
        Assert.False(notFound.IsRetryable);
        Assert.Contains("Stream s not found", notFound.Message, StringComparison.Ordinal);
        Assert.Contains("stream s", notFound.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cbor_error_body_gives_code_and_throttling()
    {
        var writer = new CborWriter();
        writer.WriteStartMap(2);
        writer.WriteTextString("__type");
        writer.WriteTextString("ProvisionedThroughputExceededException");
        writer.WriteTextString("message");
        writer.WriteTextString("Rate exceeded for shard shardId-000000000000");
        writer.WriteEndMap();

        var ex = Parse(HttpStatusCode.BadRequest, writer.Encode(), "application/x-amz-cbor-1.1");

        Assert.Equal("ProvisionedThroughputExceededException", ex.ErrorCode);
        Assert.True(ex.IsThrottling);
        Assert.True(ex.IsRetryable);
    }

    [Fact]
    public void Html_page_from_a_proxy_is_a_clear_retryable_error()
    {
        var body = Encoding.UTF8.GetBytes("<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>");

        var ex = Parse(HttpStatusCode.BadGateway, body, "text/html");

        Assert.Null(ex.ErrorCode);
        Assert.True(ex.IsRetryable);
        Assert.False(ex.IsThrottling);
        Assert.Contains("HTTP 502", ex.Message, StringComparison.Ordinal);
        Assert.Contains("502 Bad Gateway", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_body_says_so()
    {
        var ex = Parse(HttpStatusCode.InternalServerError, [], null);

        Assert.True(ex.IsRetryable);
        Assert.Contains("empty body", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Long_garbage_body_is_cut_to_a_short_snippet()
    {
        var body = Encoding.UTF8.GetBytes(new string('x', 10_000));

        var ex = Parse(HttpStatusCode.ServiceUnavailable, body, "text/plain");

        Assert.True(ex.Message.Length < 500, ex.Message);
        Assert.Contains("...", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_type_header_is_used_when_the_body_has_none()
    {
        var ex = AwsErrorParser.FromResponse(
            "Kinesis", "GetRecords", HttpStatusCode.BadRequest, null, "ExpiredIteratorException:http://internal.amazon.com/", null, ReadOnlyMemory<byte>.Empty, "");

        Assert.IsType<ExpiredIteratorException>(ex);
    }

    [Fact]
    public void Binary_garbage_that_looks_like_cbor_does_not_crash_the_parser()
    {
        var ex = Parse(HttpStatusCode.BadRequest, new byte[] { 0xBF, 0x61, 0x41, 0xFF, 0xFF, 0x00 }, null);
        Assert.Null(ex.ErrorCode);
        Assert.False(ex.IsRetryable);
    }

    [Theory]
    [InlineData("ProvisionedThroughputExceededException", 400, true, true)]
    [InlineData("LimitExceededException", 400, true, true)]
    [InlineData("ThrottlingException", 400, true, true)]
    [InlineData("KMSThrottlingException", 400, true, true)]
    [InlineData("InternalFailure", 500, true, false)]
    [InlineData("ServiceUnavailable", 503, true, false)]
    [InlineData("ValidationException", 400, false, false)]
    [InlineData("ResourceNotFoundException", 400, false, false)]
    [InlineData("AccessDeniedException", 400, false, false)]
    [InlineData("ExpiredIteratorException", 400, false, false)]
    [InlineData(null, 429, true, true)]
    [InlineData(null, 503, true, false)]
    [InlineData(null, 404, false, false)]
    public void Classification_of_error_codes(string? code, int status, bool retryable, bool throttling)
    {
        Assert.Equal(retryable, AwsErrorCodes.IsRetryable(code, (HttpStatusCode)status));
        Assert.Equal(throttling, AwsErrorCodes.IsThrottling(code, (HttpStatusCode)status));
    }

    [Fact]
    public void No_response_at_all_is_retryable()
    {
        Assert.True(AwsErrorCodes.IsRetryable(null, null));
    }

    [Theory]
    [InlineData("com.amazonaws.kinesis.v20131202#ResourceInUseException", "ResourceInUseException")]
    [InlineData("ResourceInUseException:http://internal.amazon.com/", "ResourceInUseException")]
    [InlineData("aws.protocoltests#InvalidArgumentException:extra", "InvalidArgumentException")]
    [InlineData("ExpiredIteratorException", "ExpiredIteratorException")]
    public void Error_types_are_normalised(string type, string expected)
    {
        Assert.Equal(expected, AwsErrorCodes.Normalize(type));
    }

    private static AwsServiceException Parse(HttpStatusCode status, byte[] body, string? contentType) =>
        AwsErrorParser.FromResponse("Kinesis", "DescribeStreamSummary", status, "req-1", null, contentType, body, "stream s");
}
