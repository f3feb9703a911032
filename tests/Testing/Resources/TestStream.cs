namespace Kinesis.Clients.Testing;

/// <summary>
/// A Kinesis stream made for one test, deleted (with its registered stream consumers) when disposed, also when the
/// test fails: <c>await using var stream = await aws.NewStreamAsync(shards: 2, "orders");</c>. It converts to its name
/// where a <see cref="string"/> is expected. Its shards are booked in the <see cref="ShardBudget"/> from before it is
/// created until it is gone.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "A Kinesis stream, not a System.IO.Stream; the suite calls it what it is.")]
public sealed class TestStream : IAsyncDisposable
{
    /// <summary>How long creating, or deleting, one stream may take before the test fails.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly LocalAws _aws;
    private int _disposed;

    private TestStream(LocalAws aws, string name, int shards, int peakShards)
    {
        _aws = aws;
        Name = name;
        Shards = shards;
        PeakShards = peakShards;
    }

    /// <summary>The stream name: the prefix given plus a random suffix.</summary>
    public string Name { get; }

    /// <summary>The shards it was created with.</summary>
    public int Shards { get; }

    /// <summary>The most shards it may have open at once (more than <see cref="Shards"/> when the test reshards it).</summary>
    public int PeakShards { get; }

    /// <summary>The stream's name.</summary>
    public static implicit operator string(TestStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return stream.Name;
    }

    /// <summary>Books the shards, creates the stream and waits until it is active; see <see cref="LocalAws.NewStreamAsync"/>.</summary>
    internal static async Task<TestStream> CreateAsync(LocalAws aws, string name, int shards, int? peakShards, KinesisClient? through)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        var peak = peakShards ?? shards;
        if (peak < shards)
        {
            throw new ArgumentOutOfRangeException(nameof(peakShards), peakShards, $"A stream of {shards} shards has at least {shards} open at its peak.");
        }

        await ShardBudget.Shared.AcquireAsync(name, peak).ConfigureAwait(false);
        var stream = new TestStream(aws, name, shards, peak);
        try
        {
            var client = through ?? aws.Kinesis;
            await client.CreateStreamAsync(name, shards).WaitAsync(Deadline).ConfigureAwait(false);
            await client.WaitForStreamActiveAsync(name, Deadline).WaitAsync(Deadline).ConfigureAwait(false);
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The stream's name.</summary>
    public override string ToString() => Name;

    /// <summary>
    /// Deletes the stream and its stream consumers, waits until the endpoint no longer lists it (kinesis-mock counts a
    /// deleting stream's shards against the limit), then gives its shards back to the budget.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await DeleteAsync(_aws.Kinesis, Name).ConfigureAwait(false);
        }
        finally
        {
            ShardBudget.Shared.Release(Name);
        }
    }

    /// <summary>
    /// Deletes <paramref name="name"/> with its consumers and waits until it is gone; a stream still being created or
    /// resharded (which cannot be deleted yet) is waited for. A stream that never existed is fine.
    /// </summary>
    /// <exception cref="TimeoutException">The stream is still there after <see cref="Deadline"/>.</exception>
    internal static async Task DeleteAsync(KinesisClient kinesis, string name)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            while (true)
            {
                try
                {
                    await kinesis.DeleteStreamAsync(name, enforceConsumerDeletion: true, deadline.Token).ConfigureAwait(false);
                    break;
                }
                catch (ResourceInUseException)
                {
                    await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
                }
            }

            while (true)
            {
                await kinesis.DescribeStreamSummaryAsync(name, null, deadline.Token).ConfigureAwait(false);
                await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (ResourceNotFoundException)
        {
            // Gone (or never created).
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Stream {name} was not deleted within {Deadline.TotalSeconds:0} s.");
        }
    }
}
