using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>How the kit's proxies pass a caller's request headers on to the engine behind them.</summary>
internal static class ForwardedHeaders
{
    /// <summary>
    /// Copies every header of <paramref name="incoming"/> not in <paramref name="skipped"/> (hop-by-hop headers and
    /// those HttpClient sets itself) to <paramref name="message"/>, <c>Content-*</c> ones to its content, which must
    /// be set.
    /// </summary>
    public static void Copy(IHeaderDictionary incoming, HttpRequestMessage message, HashSet<string> skipped)
    {
        foreach (var (name, values) in incoming)
        {
            if (skipped.Contains(name))
            {
                continue;
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content!.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
            else
            {
                message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }
    }
}
