namespace Kinesis.Clients.Agent.Tests.Tailing;

/// <summary>Waits for a condition with a deadline, polling; never a fixed sleep.</summary>
internal static class Eventually
{
    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        HoldsAsync(condition, () => what, timeout);

    public static Task HoldsAsync(Func<bool> condition, Func<string> what, TimeSpan? timeout = null) =>
        HoldsAsync(() => Task.FromResult(condition()), what, timeout);

    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what()}.");
            }

            await Task.Delay(10);
        }
    }
}
