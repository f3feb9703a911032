using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Kinesis.Clients.Testing;

/// <summary>
/// STS and the SSO portal on 127.0.0.1 (Kestrel, a free port), issuing temporary credentials: AssumeRole (which must
/// be SigV4-signed for <c>sts</c>, by <see cref="ExpectedSourceKey"/> when set) and AssumeRoleWithWebIdentity in the
/// query protocol (form POST, <c>Version=2011-06-15</c>, XML answers), and the portal's GetRoleCredentials
/// (<c>GET /federation/credentials</c> with a bearer token). It also serves container credentials and instance
/// metadata (<see cref="ContainerCredentialsUri"/>, <see cref="MetadataEndpoint"/>). Every issued call is recorded;
/// faults can be queued.
/// </summary>
/// <remarks>
/// Point AWSSDK.Core at it with <c>AWS_ENDPOINT_URL_STS</c> and <c>AWS_ENDPOINT_URL_SSO</c> (or the profile's
/// <c>endpoint_url</c>). As in <see cref="LoopbackCloudWatch"/>, the signature's scope is checked, not recomputed.
/// </remarks>
public sealed partial class LoopbackSts : IAsyncDisposable
{
    private readonly LoopbackHost _host;
    private readonly Lock _gate = new();
    private readonly List<StsCall> _calls = [];
    private readonly List<string> _rejections = [];
    private readonly Queue<StsFault> _faults = new();
    private readonly ConditionWaiters _waiters;
    private StsFault? _failAll;

    private LoopbackSts(LoopbackHost host)
    {
        _waiters = new ConditionWaiters(_gate);
        _host = host;
        Endpoint = host.Endpoint;
    }

    /// <summary>The endpoint, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>When set, AssumeRole signed with any other access key id is refused (<c>InvalidClientTokenId</c>).</summary>
    public string? ExpectedSourceKey { get; set; }

    /// <summary>How long issued credentials last; one hour by default, or the call's <c>DurationSeconds</c>.</summary>
    public TimeSpan DefaultLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The calls answered with credentials, in arrival order.</summary>
    public IReadOnlyList<StsCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The error codes answered so far (injected faults and refusals), in order.</summary>
    public IReadOnlyList<string> Rejections
    {
        get
        {
            lock (_gate)
            {
                return [.. _rejections];
            }
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<LoopbackSts> StartAsync(CancellationToken cancellationToken = default)
    {
        LoopbackSts? server = null;
        var host = await LoopbackHost.StartAsync(context => server!.HandleAsync(context), cancellationToken: cancellationToken).ConfigureAwait(false);
        server = new LoopbackSts(host);
        return server;
    }

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="fault"/>.</summary>
    public void FailNext(int count, StsFault fault)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>Answers every request with <paramref name="fault"/> until <see cref="ClearFaults"/>.</summary>
    public void FailAll(StsFault fault)
    {
        lock (_gate)
        {
            _failAll = fault;
        }
    }

    /// <summary>Drops the faults still queued and ends <see cref="FailAll"/>.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
            _failAll = null;
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> calls got credentials and returns them all.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>; the message says what did.</exception>
    public async Task<IReadOnlyList<StsCall>> WaitForCallsAsync(int count, TimeSpan timeout)
    {
        await WaitUntilAsync(() => _calls.Count >= count, $"{count} answered credential calls", timeout).ConfigureAwait(false);
        return Calls;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests were refused.</summary>
    /// <exception cref="TimeoutException">Fewer were within <paramref name="timeout"/>.</exception>
    public Task WaitForRejectionsAsync(int count, TimeSpan timeout) =>
        WaitUntilAsync(() => _rejections.Count >= count, $"{count} refused requests", timeout);

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
    }

    private Task WaitUntilAsync(Func<bool> reached, string what, TimeSpan timeout) =>
        _waiters.WaitUntilAsync(reached, what, () => $"{Calls.Count} answered, rejections: [{string.Join(", ", Rejections)}]", timeout);

    private async Task HandleAsync(HttpContext context)
    {
        var requestId = Guid.NewGuid().ToString();
        var body = await SignedRequestCheck.ReadBodyAsync(context.Request).ConfigureAwait(false);
        StsFault? fault;
        lock (_gate)
        {
            fault = _failAll;
            if (fault is null && _faults.Count > 0)
            {
                fault = _faults.Dequeue();
            }
        }

        if (fault is { } f)
        {
            await RefuseAsync(context, f == StsFault.AccessDenied
                ? new(HttpStatusCode.Forbidden, "AccessDenied", "User: arn:aws:iam::000000000000:user/source is not authorized to perform: sts:AssumeRole")
                : new(HttpStatusCode.InternalServerError, "InternalFailure", "An internal error occurred."), requestId).ConfigureAwait(false);
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) && context.Request.Path == "/federation/credentials")
        {
            await RoleCredentialsAsync(context, requestId).ConfigureAwait(false);
            return;
        }

        if (await TryMetadataAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
        var action = form.TryGetValue("Action", out var a) ? a.ToString() : "";
        if (form.TryGetValue("Version", out var version) && version != "2011-06-15")
        {
            await RefuseAsync(context, QueryProtocolFault.InvalidParameterValue($"Version {version} is not 2011-06-15."), requestId).ConfigureAwait(false);
            return;
        }

        string? signedBy = null;
        if (action == "AssumeRole")
        {
            var (scope, refusal) = SignedRequestCheck.Check(context.Request, body.Length, 64 * 1024, "sts");
            refusal ??= ExpectedSourceKey is { } expected && scope!.Value.AccessKey != expected
                ? new(HttpStatusCode.Forbidden, "InvalidClientTokenId", $"The security token included in the request is invalid ({scope.Value.AccessKey}).")
                : null;
            if (refusal is not null)
            {
                await RefuseAsync(context, refusal, requestId).ConfigureAwait(false);
                return;
            }

            signedBy = scope!.Value.AccessKey;
        }
        else if (action != "AssumeRoleWithWebIdentity")
        {
            await RefuseAsync(context, new(HttpStatusCode.BadRequest, "InvalidAction", $"Could not find operation '{action}'."), requestId).ConfigureAwait(false);
            return;
        }

        string? Param(string name) => form.TryGetValue(name, out var value) ? value.ToString() : null;
        var duration = Param("DurationSeconds") is { } d ? int.Parse(d, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
        var call = new StsCall(action, signedBy, Param("RoleArn") ?? "", Param("RoleSessionName"), Param("ExternalId"), duration,
            Param("WebIdentityToken"), IssuedCredentials.Create(duration is { } seconds ? TimeSpan.FromSeconds(seconds) : DefaultLifetime));
        Accept(call);
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        await context.Response.WriteAsync(
            action == "AssumeRole" ? StsReplies.AssumeRole(call, requestId) : StsReplies.AssumeRoleWithWebIdentity(call, requestId)).ConfigureAwait(false);
    }

    private async Task RoleCredentialsAsync(HttpContext context, string requestId)
    {
        var token = context.Request.Headers["x-amz-sso_bearer_token"].ToString();
        var query = context.Request.Query;
        if (token.Length == 0 || query["role_name"].Count == 0 || query["account_id"].Count == 0)
        {
            Reject("UnauthorizedException");
            context.Response.StatusCode = 401;
            context.Response.Headers["x-amzn-ErrorType"] = "UnauthorizedException";
            await context.Response.WriteAsync("{\"message\":\"Session token not found or invalid\"}").ConfigureAwait(false);
            return;
        }

        var call = new StsCall("GetRoleCredentials", null, $"{query["account_id"]}/{query["role_name"]}", null, null, null, token,
            IssuedCredentials.Create(DefaultLifetime));
        Accept(call);
        context.Response.ContentType = "application/json";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        await context.Response.WriteAsync(StsReplies.RoleCredentials(call.Issued)).ConfigureAwait(false);
    }

    private async Task RefuseAsync(HttpContext context, QueryProtocolFault fault, string requestId)
    {
        Reject(fault.Code);
        context.Response.StatusCode = (int)fault.Status;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        await context.Response.WriteAsync(fault.ToXml(requestId, StsReplies.Namespace)).ConfigureAwait(false);
    }

    private void Reject(string code)
    {
        lock (_gate)
        {
            _rejections.Add(code);
            SignalWaiters();
        }
    }

    private void Accept(StsCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
            SignalWaiters();
        }
    }

    // Called under _gate after every change a waiter may be waiting for.
    private void SignalWaiters() => _waiters.Signal();
}
