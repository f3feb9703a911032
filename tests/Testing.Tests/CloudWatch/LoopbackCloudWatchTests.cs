using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Kinesis.Clients.Auth;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Testing.Tests.CloudWatch;

/// <summary>The loopback endpoint answers raw requests as CloudWatch does: signature scope, limits, error documents.</summary>
public sealed class LoopbackCloudWatchTests : IAsyncLifetime
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http = new();
    private LoopbackCloudWatch _server = null!;

    public async Task InitializeAsync() => _server = await LoopbackCloudWatch.StartAsync();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_good_call_gets_the_service_success_document()
    {
        var (status, body) = await PostAsync(Form(1, dimensions: 1));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">", body, StringComparison.Ordinal);
        var call = Assert.Single(_server.Calls);
        Assert.Contains($"<RequestId>{call.RequestId}</RequestId>", body, StringComparison.Ordinal);
        Assert.Equal("M0", call.Data[0].MetricName);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unsigned_call_is_refused()
    {
        using var request = Request(Form(1));
        using var response = await _http.SendAsync(request).WaitAsync(TestTimeout);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("MissingAuthenticationToken", await ErrorCodeAsync(response));
        Assert.Empty(_server.Calls);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_call_signed_for_another_service_is_refused()
    {
        var (status, body) = await PostAsync(Form(1), service: "kinesis");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        var error = AwsQueryErrorParser.TryRead(Encoding.UTF8.GetBytes(body));
        Assert.Equal("SignatureDoesNotMatch", error!.Code);
        Assert.Contains("'monitoring'", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task More_than_1000_data_are_refused_with_InvalidParameterValue()
    {
        var (status, body) = await PostAsync(Form(1001));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = AwsQueryErrorParser.TryRead(Encoding.UTF8.GetBytes(body));
        Assert.Equal("InvalidParameterValue", error!.Code);
        Assert.Equal("Sender", error.Type);
        Assert.Equal("The collection MetricData must not have a size greater than 1000.", error.Message);
    }

    [Fact(Timeout = 30_000)]
    public async Task More_than_30_dimensions_are_refused()
    {
        var (status, body) = await PostAsync(Form(1, dimensions: 31));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("MetricData.member.1.Dimensions must not have a size greater than 30", body, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_body_over_1_MiB_is_refused_with_413()
    {
        var form = Form(1) + "&Padding=" + new string('x', LoopbackCloudWatch.MaxBodyBytes);

        var (status, body) = await PostAsync(form);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("<Code>RequestEntityTooLarge</Code>", body, StringComparison.Ordinal);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("&MetricData.member.1.StatisticValues.SampleCount=1", "InvalidParameterCombination")]
    [InlineData("&MetricData.member.1.Unit=Furlongs", "InvalidParameterValue")]
    [InlineData("&MetricData.member.2.Value=NaN&MetricData.member.2.MetricName=X", "InvalidParameterValue")]
    [InlineData("&MetricData.member.2.Value=1", "MissingParameter")]
    public async Task Broken_data_get_the_service_error(string extra, string code)
    {
        var (status, body) = await PostAsync(Form(1) + extra);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, AwsQueryErrorParser.TryRead(Encoding.UTF8.GetBytes(body))!.Code);
        Assert.Equal([code], _server.Rejections);
    }

    [Fact(Timeout = 30_000)]
    public async Task Waiting_for_calls_that_never_come_reports_what_arrived()
    {
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => _server.WaitForCallsAsync(1, TimeSpan.FromMilliseconds(100)));

        Assert.Contains("0 accepted", ex.Message, StringComparison.Ordinal);
    }

    private static string Form(int data, int dimensions = 0)
    {
        var form = new StringBuilder("Action=PutMetricData&Version=2010-08-01&Namespace=App");
        for (var i = 1; i <= data; i++)
        {
            form.Append(CultureInfo.InvariantCulture, $"&MetricData.member.{i}.MetricName=M{i - 1}&MetricData.member.{i}.Value=1");
            for (var d = 1; d <= dimensions; d++)
            {
                form.Append(CultureInfo.InvariantCulture, $"&MetricData.member.{i}.Dimensions.member.{d}.Name=D{d}&MetricData.member.{i}.Dimensions.member.{d}.Value=v");
            }
        }

        return form.ToString();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string form, string service = "monitoring")
    {
        using var request = Request(form);
        var signer = new SigV4Signer(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "us-east-1", service, TimeProvider.System);
        await signer.SignAsync(request, Encoding.ASCII.GetBytes(form), CancellationToken.None);
        using var response = await _http.SendAsync(request).WaitAsync(TestTimeout);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private HttpRequestMessage Request(string form)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(form));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") { CharSet = "utf-8" };
        return new HttpRequestMessage(HttpMethod.Post, _server.Endpoint) { Content = content };
    }

    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response) =>
        AwsQueryErrorParser.TryRead(await response.Content.ReadAsByteArrayAsync())?.Code;
}
