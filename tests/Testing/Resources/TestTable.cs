using Amazon.DynamoDBv2;

namespace Kinesis.Clients.Testing;

/// <summary>
/// The name of a DynamoDB table for one test (a consumer's lease table, which the consumer creates itself), deleted
/// when disposed if it exists, also when the test fails: <c>await using var table = aws.NewTable("app");</c>. It
/// converts to its name where a <see cref="string"/> is expected.
/// </summary>
public sealed class TestTable : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private readonly LocalAws _aws;
    private int _disposed;

    internal TestTable(LocalAws aws, string name)
    {
        _aws = aws;
        Name = name;
    }

    /// <summary>The table name: the prefix given plus a random suffix.</summary>
    public string Name { get; }

    /// <summary>The table's name.</summary>
    public static implicit operator string(TestTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Name;
    }

    /// <summary>The table's name.</summary>
    public override string ToString() => Name;

    /// <summary>Deletes the table if it exists; one still being created is waited for.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await DeleteAsync(_aws.DynamoDb, Name).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes <paramref name="name"/> if it exists, retrying while it is busy.</summary>
    /// <exception cref="TimeoutException">It stayed busy for <see cref="Deadline"/>.</exception>
    internal static async Task DeleteAsync(IAmazonDynamoDB dynamoDb, string name)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        try
        {
            while (true)
            {
                try
                {
                    await dynamoDb.DeleteTableAsync(name, deadline.Token).ConfigureAwait(false);
                    return;
                }
                catch (Amazon.DynamoDBv2.Model.ResourceInUseException)
                {
                    await Task.Delay(PollInterval, deadline.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
        {
            // Never created, or already gone.
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Table {name} could not be deleted within {Deadline.TotalSeconds:0} s: it stayed in use.");
        }
    }
}
