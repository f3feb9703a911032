namespace Kinesis.Clients.Soak;

/// <summary>
/// The loop every fault schedule of the soak runs: a calm stretch, then the next kind of fault in a fixed rotation
/// for one phase, one kind at a time, until cancelled. A phase cut short by cancellation still ends (its faults
/// are removed and counted).
/// </summary>
internal static class FaultRotation
{
    /// <param name="rotation">The kinds, in the order they take turns.</param>
    /// <param name="calm">The stretch without faults before each phase.</param>
    /// <param name="begin">Turns a kind on; returns what turns it off and counts what it did.</param>
    /// <param name="phase">Waits out (or drives) one phase of a kind.</param>
    /// <param name="cancellationToken">Ends the rotation.</param>
    public static async Task RunAsync<TKind>(
        IReadOnlyList<TKind> rotation,
        TimeSpan calm,
        Func<TKind, Action> begin,
        Func<TKind, CancellationToken, Task> phase,
        CancellationToken cancellationToken)
    {
        for (var i = 0; !cancellationToken.IsCancellationRequested; i++)
        {
            try
            {
                await Task.Delay(calm, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var kind = rotation[i % rotation.Count];
            var end = begin(kind);
            try
            {
                await phase(kind, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                end();
            }
        }
    }
}
