using System.Net;
using System.Text;

namespace Kinesis.Clients.Tests.CloudWatch;

/// <summary>Query-protocol error documents, and bodies that are not, become one clear exception.</summary>
public sealed class AwsQueryErrorParserTests
{
    private const string Throttling =
        "<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">" +
        "<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>" +
        "<RequestId>4b8f1b2e-0000-4a1e-9c1d-000000000001</RequestId></ErrorResponse>";

    [Fact]
    public void Throttling_document_gives_code_message_and_request_id()
    {
        var ex = Parse(HttpStatusCode.BadRequest, Throttling);

        Assert.Equal("Throttling", ex.ErrorCode);
        Assert.True(ex.IsThrottling);
        Assert.True(ex.IsRetryable);
        Assert.Equal("4b8f1b2e-0000-4a1e-9c1d-000000000001", ex.RequestId);
        Assert.Equal(
            "CloudWatch PutMetricData failed: HTTP 400 BadRequest, Throttling: Rate exceeded (namespace App) " +
            "[request id 4b8f1b2e-0000-4a1e-9c1d-000000000001]",
            ex.Message);
    }

    [Fact]
    public void The_request_id_header_wins_over_the_body()
    {
        var ex = AwsQueryErrorParser.FromResponse(
            "CloudWatch", "PutMetricData", HttpStatusCode.BadRequest, "from-header", Encoding.UTF8.GetBytes(Throttling), "");

        Assert.Equal("from-header", ex.RequestId);
    }

    [Theory]
    [InlineData("InvalidParameterValue", HttpStatusCode.BadRequest, false)]
    [InlineData("MissingParameter", HttpStatusCode.BadRequest, false)]
    [InlineData("InternalServiceError", HttpStatusCode.InternalServerError, true)]
    [InlineData("InternalFailure", HttpStatusCode.InternalServerError, true)]
    [InlineData("ServiceUnavailable", HttpStatusCode.ServiceUnavailable, true)]
    public void Retryability_follows_code_and_status(string code, HttpStatusCode status, bool retryable)
    {
        var ex = Parse(status, $"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>m</Message></Error></ErrorResponse>");

        Assert.Equal(code, ex.ErrorCode);
        Assert.Equal(retryable, ex.IsRetryable);
        Assert.False(ex.IsThrottling);
    }

    [Fact]
    public void EC2_style_documents_are_read_too()
    {
        var ex = Parse(HttpStatusCode.ServiceUnavailable,
            "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>slow down</Message></Error></Errors>" +
            "<RequestID>ec2-id</RequestID></Response>");

        Assert.Equal("RequestLimitExceeded", ex.ErrorCode);
        Assert.True(ex.IsThrottling);
        Assert.Equal("ec2-id", ex.RequestId);
    }

    [Fact]
    public void Element_order_inside_Error_does_not_matter()
    {
        var ex = Parse(HttpStatusCode.BadRequest,
            "<ErrorResponse><Error><Message>first</Message><Code>Throttling</Code><Type>Sender</Type></Error></ErrorResponse>");

        Assert.Equal("Throttling", ex.ErrorCode);
        Assert.Contains("first", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body><h1>502 Bad Gateway</h1></body></html>", "502 Bad Gateway")]
    [InlineData("<!DOCTYPE html><html><body>Bad gateway</body></html>", "Bad gateway")]
    [InlineData("upstream connect error or disconnect/reset before headers", "upstream connect error")]
    [InlineData("<ErrorResponse><Error><Code>Thrott", "ErrorResponse")]
    public void Non_AWS_bodies_give_status_and_a_snippet(string body, string snippet)
    {
        var ex = Parse(HttpStatusCode.BadGateway, body);

        Assert.Null(ex.ErrorCode);
        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.True(ex.IsRetryable);
        Assert.Contains("non-AWS body", ex.Message, StringComparison.Ordinal);
        Assert.Contains(snippet, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_500_says_so()
    {
        var ex = Parse(HttpStatusCode.InternalServerError, "");

        Assert.Null(ex.ErrorCode);
        Assert.True(ex.IsRetryable);
        Assert.Contains("empty body", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_body_is_cut_to_a_snippet()
    {
        var ex = Parse(HttpStatusCode.BadGateway, new string('x', 10_000));

        Assert.True(ex.Message.Length < 400, ex.Message);
        Assert.Contains("...", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Entity_expansion_is_refused_not_followed()
    {
        const string Bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;\">]>" +
            "<ErrorResponse><Error><Code>&lol2;</Code></Error></ErrorResponse>";

        var ex = Parse(HttpStatusCode.BadRequest, Bomb);

        Assert.Null(ex.ErrorCode);
    }

    private static AwsServiceException Parse(HttpStatusCode status, string body) =>
        AwsQueryErrorParser.FromResponse("CloudWatch", "PutMetricData", status, null, Encoding.UTF8.GetBytes(body), "namespace App");
}
