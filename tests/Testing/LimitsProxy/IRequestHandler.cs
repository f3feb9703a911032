namespace Kinesis.Clients.Testing;

/// <summary>Answers requests that got past the injected faults: by forwarding (proxy) or by itself (standalone).</summary>
internal interface IRequestHandler : IDisposable
{
    Task HandleAsync(ProxyExchange exchange);
}
