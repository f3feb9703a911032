using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kinesis.Clients.Consumer.Leases;

internal sealed partial class DynamoDbLeaseStore
{
    private const string Counter = "#counter";
    private const string Owner = "#owner";
    private const string Fenced = "#counter = :counter AND #owner = :owner";

    public Task<Lease?> RenewAsync(Lease held, CancellationToken cancellationToken = default)
    {
        var owner = LeaseWrites.CheckHeld(held);
        var expected = LeaseWrites.Renewed(held);
        return UpdateAsync(
            new Update(held.LeaseKey, "SET #counter = :next", Fenced)
                .Name(Counter, LeaseAttributes.LeaseCounter).Name(Owner, LeaseAttributes.LeaseOwner)
                .Value(":counter", held.LeaseCounter).Value(":next", expected.LeaseCounter).Value(":owner", owner),
            cancellationToken);
    }

    public Task<Lease?> TakeAsync(Lease observed, string newOwner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observed);
        LeaseWrites.CheckKey(observed.LeaseKey, nameof(observed));
        LeaseWrites.CheckOwner(newOwner, nameof(newOwner));
        var expected = LeaseWrites.Taken(observed, newOwner);
        var switched = expected.OwnerSwitchesSinceCheckpoint != observed.OwnerSwitchesSinceCheckpoint;
        var update = new Update(
                observed.LeaseKey,
                switched ? "SET #owner = :newOwner, #counter = :next ADD #switches :one" : "SET #owner = :newOwner, #counter = :next",
                "#counter = :counter")
            .Name(Counter, LeaseAttributes.LeaseCounter).Name(Owner, LeaseAttributes.LeaseOwner)
            .Value(":counter", observed.LeaseCounter).Value(":next", expected.LeaseCounter).Value(":newOwner", newOwner);
        if (switched)
        {
            update.Name("#switches", LeaseAttributes.OwnerSwitchesSinceCheckpoint).Value(":one", 1);
        }

        return UpdateAsync(update, cancellationToken);
    }

    public Task<Lease?> EvictAsync(Lease observed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observed);
        LeaseWrites.CheckKey(observed.LeaseKey, nameof(observed));
        if (observed.LeaseOwner is null)
        {
            return Task.FromResult<Lease?>(null);
        }

        // Conditional on the owner alone, as the KCL's eviction is, so the counter is added to rather than set.
        return UpdateAsync(
            new Update(observed.LeaseKey, "REMOVE #owner ADD #counter :one", "#owner = :owner")
                .Name(Counter, LeaseAttributes.LeaseCounter).Name(Owner, LeaseAttributes.LeaseOwner)
                .Value(":one", 1).Value(":owner", observed.LeaseOwner),
            cancellationToken);
    }

    public Task<Lease?> ReleaseAsync(Lease held, CancellationToken cancellationToken = default)
    {
        var owner = LeaseWrites.CheckHeld(held);
        var expected = LeaseWrites.Unowned(held);
        return UpdateAsync(
            new Update(held.LeaseKey, "REMOVE #owner SET #counter = :next", Fenced)
                .Name(Counter, LeaseAttributes.LeaseCounter).Name(Owner, LeaseAttributes.LeaseOwner)
                .Value(":counter", held.LeaseCounter).Value(":next", expected.LeaseCounter).Value(":owner", owner),
            cancellationToken);
    }

    public Task<Lease?> UpdateCheckpointAsync(Lease held, ExtendedSequenceNumber checkpoint, CancellationToken cancellationToken = default)
    {
        var owner = LeaseWrites.CheckHeld(held);
        LeaseWrites.CheckPosition(checkpoint, nameof(checkpoint));
        var expected = LeaseWrites.Checkpointed(held, checkpoint);
        return UpdateAsync(
            new Update(
                    held.LeaseKey,
                    "SET #cp = :cp, #cpSub = :cpSub, #switches = :zero, #counter = :next REMOVE #pending, #pendingSub, #pendingState",
                    Fenced)
                .Name(Counter, LeaseAttributes.LeaseCounter).Name(Owner, LeaseAttributes.LeaseOwner)
                .Name("#cp", LeaseAttributes.Checkpoint).Name("#cpSub", LeaseAttributes.CheckpointSubSequenceNumber)
                .Name("#switches", LeaseAttributes.OwnerSwitchesSinceCheckpoint)
                .Name("#pending", LeaseAttributes.PendingCheckpoint)
                .Name("#pendingSub", LeaseAttributes.PendingCheckpointSubSequenceNumber)
                .Name("#pendingState", LeaseAttributes.PendingCheckpointState)
                .Value(":counter", held.LeaseCounter).Value(":next", expected.LeaseCounter).Value(":owner", owner)
                .Value(":cp", checkpoint.SequenceNumber).Value(":cpSub", checkpoint.SubSequenceNumber).Value(":zero", 0),
            cancellationToken);
    }

    public Task<Lease?> PrepareCheckpointAsync(
        Lease held, ExtendedSequenceNumber pendingCheckpoint, byte[]? pendingCheckpointState, CancellationToken cancellationToken = default)
    {
        var owner = LeaseWrites.CheckHeld(held);
        LeaseWrites.CheckPosition(pendingCheckpoint, nameof(pendingCheckpoint));
        var expected = LeaseWrites.Prepared(held, pendingCheckpoint, pendingCheckpointState);
        var update = new Update(
                held.LeaseKey,
                pendingCheckpointState is null
                    ? "SET #pending = :pending, #pendingSub = :pendingSub, #counter = :next REMOVE #pendingState"
                    : "SET #pending = :pending, #pendingSub = :pendingSub, #pendingState = :state, #counter = :next",
                Fenced)
            .Name(Counter, LeaseAttributes.LeaseCounter).Name(Owner, LeaseAttributes.LeaseOwner)
            .Name("#pending", LeaseAttributes.PendingCheckpoint)
            .Name("#pendingSub", LeaseAttributes.PendingCheckpointSubSequenceNumber)
            .Name("#pendingState", LeaseAttributes.PendingCheckpointState)
            .Value(":counter", held.LeaseCounter).Value(":next", expected.LeaseCounter).Value(":owner", owner)
            .Value(":pending", pendingCheckpoint.SequenceNumber).Value(":pendingSub", pendingCheckpoint.SubSequenceNumber);
        if (pendingCheckpointState is not null)
        {
            update.Value(":state", LeaseSerializer.B(pendingCheckpointState));
        }

        return UpdateAsync(update, cancellationToken);
    }

    public Task<Lease?> UpdateChildShardsAsync(Lease held, IReadOnlyCollection<string> childShardIds, CancellationToken cancellationToken = default)
    {
        var owner = LeaseWrites.CheckHeld(held);
        var children = LeaseWrites.CheckChildren(childShardIds);
        var expected = LeaseWrites.WithChildren(held, children);
        return UpdateAsync(
            new Update(held.LeaseKey, "SET #children = :children, #counter = :next", Fenced)
                .Name(Counter, LeaseAttributes.LeaseCounter).Name(Owner, LeaseAttributes.LeaseOwner)
                .Name("#children", LeaseAttributes.ChildShardIds)
                .Value(":counter", held.LeaseCounter).Value(":next", expected.LeaseCounter).Value(":owner", owner)
                .Value(":children", LeaseSerializer.SS(children)),
            cancellationToken);
    }

    private async Task<Lease?> UpdateAsync(Update update, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.UpdateItemAsync(
                new UpdateItemRequest
                {
                    TableName = TableName,
                    Key = LeaseSerializer.Key(update.LeaseKey),
                    UpdateExpression = update.Expression,
                    ConditionExpression = update.Condition,
                    ExpressionAttributeNames = update.Names,
                    ExpressionAttributeValues = update.Values,
                    ReturnValues = ReturnValue.ALL_NEW,
                },
                cancellationToken).ConfigureAwait(false);
            return LeaseSerializer.FromItem(
                response.Attributes ?? throw new InvalidDataException($"UpdateItem on lease {update.LeaseKey} returned no attributes though ALL_NEW was asked for."));
        }
        catch (ConditionalCheckFailedException)
        {
            // Also what a retry by the SDK sees when the first attempt was applied but its reply lost: the store
            // cannot tell, so it says what the table says; LeaseCoordinator reads the row back to find out.
            return null;
        }
    }

    /// <summary>One UpdateItem: expressions plus the names and values they use (and only those, as DynamoDB requires).</summary>
    private sealed class Update(string leaseKey, string expression, string condition)
    {
        public string LeaseKey { get; } = leaseKey;

        public string Expression { get; } = expression;

        public string Condition { get; } = condition;

        public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, AttributeValue> Values { get; } = new(StringComparer.Ordinal);

        public Update Name(string placeholder, string attribute)
        {
            Names[placeholder] = attribute;
            return this;
        }

        public Update Value(string placeholder, string value) => Value(placeholder, LeaseSerializer.S(value));

        public Update Value(string placeholder, long value) => Value(placeholder, LeaseSerializer.N(value));

        public Update Value(string placeholder, AttributeValue value)
        {
            Values[placeholder] = value;
            return this;
        }
    }
}
