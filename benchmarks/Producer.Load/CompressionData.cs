using System.Globalization;
using System.Text;

namespace Kinesis.Clients.Producer.Load;

/// <summary>
/// Record data that looks like what people ship: the demo's application log and Apache access lines (the formats
/// samples/Demo writes), and JSON events. Each line is distinct (time, counters, ids move on), as in a real log.
/// </summary>
internal static class CompressionData
{
    public static readonly string[] Kinds = ["app-log", "access-log", "json-events"];

    private static readonly DateTime Start = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Paths = ["/item/", "/cart", "/search?q=", "/static/app.js", "/api/orders/", "/login"];
    private static readonly string[] Agents =
    [
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "curl/8.5.0",
    ];

    private static readonly string[] Events = ["order_accepted", "payment_captured", "item_viewed", "cart_updated"];

    /// <summary><paramref name="count"/> distinct lines of a kind, UTF-8, with the trailing newline as an agent sends them.</summary>
    public static byte[][] Lines(string kind, int count) => Enumerable.Range(0, count).Select(i => Encoding.UTF8.GetBytes(kind switch
    {
        "app-log" => AppLog(i),
        "access-log" => AccessLog(i),
        _ => JsonEvent(i),
    })).ToArray();

    // samples/Demo: $"{DateTime.UtcNow:O} INFO request {n} served in {i % 37} ms"
    private static string AppLog(int i) => string.Create(
        CultureInfo.InvariantCulture, $"{Start.AddMilliseconds(i * 3.7):O} INFO request {i} served in {i % 37} ms\n");

    // samples/Demo's access line, with a referrer and user agent as the combined format has.
    private static string AccessLog(int i) => string.Create(
        CultureInfo.InvariantCulture,
        $"10.0.{i / 251 % 256}.{i % 251} - frank [{Start.AddMilliseconds(i * 3.7).ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)} +0000] \"GET {Paths[i % Paths.Length]}{i % 977} HTTP/1.1\" {(i % 41 == 0 ? 404 : 200)} {512 + (i * 37 % 9000)} \"https://shop.example.com/\" \"{Agents[i % Agents.Length]}\"\n");

    private static string JsonEvent(int i) => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"time\":\"{Start.AddMilliseconds(i * 3.7):O}\",\"level\":\"INFO\",\"service\":\"orders\",\"event\":\"{Events[i % Events.Length]}\",\"orderId\":{1_000_000 + i},\"customer\":\"c-{i * 7919 % 100_000:D6}\",\"amountCents\":{i * 37 % 50_000},\"items\":{1 + (i % 5)},\"region\":\"eu-west-1\"}}\n");
}
