using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>
/// A CloudWatch endpoint on 127.0.0.1 (Kestrel, a free port) that accepts PutMetricData in the AWS query protocol,
/// checks the request is SigV4-signed for the <c>monitoring</c> service, enforces the API's limits with the errors
/// the service sends, records every accepted call, and can be told to fail the next calls.
/// </summary>
/// <remarks>
/// The signature itself is not recomputed (the client's signer is tested against AWS's vectors); only its presence
/// and credential scope are checked, as a wrongly scoped request is the mistake worth catching here.
/// </remarks>
public sealed class LoopbackCloudWatch : IAsyncDisposable
{
    /// <summary>The largest body accepted: 1 MiB, answered beyond with 413 <c>RequestEntityTooLarge</c> as the service does.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private readonly LoopbackHost _host;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<PutMetricDataCall> _calls = [];
    private readonly List<string> _rejections = [];
    private readonly Queue<CloudWatchFault> _faults = new();
    private readonly ConditionWaiters _waiters;
    private int _attempts;

    private LoopbackCloudWatch(LoopbackHost host)
    {
        _waiters = new ConditionWaiters(_gate);
        _host = host;
        Endpoint = host.Endpoint;
    }

    /// <summary>The endpoint to set as the client's <c>ServiceUrl</c>, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The calls accepted so far, in arrival order.</summary>
    public IReadOnlyList<PutMetricDataCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The error codes answered so far (injected faults and broken rules), in order.</summary>
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

    /// <summary>Every request received, accepted or not.</summary>
    public int Attempts
    {
        get
        {
            lock (_gate)
            {
                return _attempts;
            }
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    public static async Task<LoopbackCloudWatch> StartAsync(CancellationToken cancellationToken = default)
    {
        LoopbackCloudWatch? server = null;
        var host = await LoopbackHost.StartAsync(
            context => server!.HandleAsync(context),
            // Bodies over the API's limit must arrive, to be refused the way the service refuses them.
            configure: kestrel => kestrel.Limits.MaxRequestBodySize = 4 * MaxBodyBytes,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        server = new LoopbackCloudWatch(host);
        return server;
    }

    /// <summary>Answers the next <paramref name="count"/> requests with <paramref name="fault"/> (after any queued before).</summary>
    public void FailNext(int count, CloudWatchFault fault)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>Drops any faults still queued.</summary>
    public void ClearFaults()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> calls were accepted and returns them all.</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>; the message says how many.</exception>
    public async Task<IReadOnlyList<PutMetricDataCall>> WaitForCallsAsync(int count, TimeSpan timeout)
    {
        await WaitUntilAsync(() => _calls.Count >= count, $"{count} accepted PutMetricData calls", timeout).ConfigureAwait(false);
        return Calls;
    }

    /// <summary>Waits until at least <paramref name="count"/> requests arrived, accepted or not (a held one counts).</summary>
    /// <exception cref="TimeoutException">Fewer arrived within <paramref name="timeout"/>.</exception>
    public Task WaitForAttemptsAsync(int count, TimeSpan timeout) =>
        WaitUntilAsync(() => _attempts >= count, $"{count} requests", timeout);

    /// <summary>Stops the server; held requests are released.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _host.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private Task WaitUntilAsync(Func<bool> reached, string what, TimeSpan timeout) =>
        _waiters.WaitUntilAsync(reached, what, () => $"{Calls.Count} accepted, {Attempts} received, rejections: [{string.Join(", ", Rejections)}]", timeout);

    // Called under _gate after every change a waiter may be waiting for.
    private void SignalWaiters() => _waiters.Signal();

    private async Task HandleAsync(HttpContext context)
    {
        lock (_gate)
        {
            _attempts++;
            SignalWaiters();
        }

        var requestId = Guid.NewGuid().ToString();
        var body = await SignedRequestCheck.ReadBodyAsync(context.Request).ConfigureAwait(false);

        CloudWatchFault? fault = null;
        lock (_gate)
        {
            if (_faults.Count > 0)
            {
                fault = _faults.Dequeue();
            }
        }

        switch (fault)
        {
            case CloudWatchFault.Hang:
                Reject("Hang");
                using (var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token))
                {
                    await Task.Delay(Timeout.Infinite, held.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
                }

                context.Abort();
                return;
            case CloudWatchFault.Reset:
                Reject("Reset");
                context.Abort();
                return;
            case CloudWatchFault.InternalFailure:
                await AnswerAsync(context, new(HttpStatusCode.InternalServerError, "InternalFailure",
                    "The request processing has failed because of an unknown error, exception or failure."), requestId).ConfigureAwait(false);
                return;
            case CloudWatchFault.Throttling:
                await AnswerAsync(context, new(HttpStatusCode.BadRequest, "Throttling", "Rate exceeded"), requestId).ConfigureAwait(false);
                return;
        }

        var (scope, refusal) = SignedRequestCheck.Check(context.Request, body.Length, MaxBodyBytes);
        if (refusal is not null)
        {
            await AnswerAsync(context, refusal, requestId).ConfigureAwait(false);
            return;
        }

        var invalid = PutMetricDataRequestParser.TryParse(Encoding.UTF8.GetString(body), out var ns, out var data);
        if (invalid is not null)
        {
            await AnswerAsync(context, invalid, requestId).ConfigureAwait(false);
            return;
        }

        Accept(new PutMetricDataCall(ns, data, scope!.Value.Region, requestId, body.Length));
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        await context.Response.WriteAsync(QueryProtocolFault.SuccessXml(requestId), _stopping.Token).ConfigureAwait(false);
    }

    private async Task AnswerAsync(HttpContext context, QueryProtocolFault fault, string requestId)
    {
        Reject(fault.Code);
        context.Response.StatusCode = (int)fault.Status;
        context.Response.ContentType = "text/xml";
        context.Response.Headers["x-amzn-RequestId"] = requestId;
        await context.Response.WriteAsync(fault.ToXml(requestId), _stopping.Token).ConfigureAwait(false);
    }

    private void Reject(string code)
    {
        lock (_gate)
        {
            _rejections.Add(code);
        }
    }

    private void Accept(PutMetricDataCall call)
    {
        lock (_gate)
        {
            _calls.Add(call);
            SignalWaiters();
        }
    }
}
