using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Kinesis.Clients.Consumer.Leases;

internal sealed partial class DynamoDbLeaseStore
{
    private const string Counter = "#counter";
    private const string Owner = "#owner";
    private const string CheckpointOwner = "#cpOwner";

    public Task<Lease?> RenewAsync(Lease held, CancellationToken cancellationToken = default)
    {
        var owner = LeaseWrites.CheckHeld(held);
        var expected = LeaseWrites.Renewed(held);
        return UpdateAsync(
            Fenced(new Update(held.LeaseKey, "SET #counter = :next"), held, owner).Value(":next", expected.LeaseCounter),
            cancellationToken);
    }

    public Task<Lease?> TakeAsync(Lease observed, string newOwner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observed);
        LeaseWrites.CheckKey(observed.LeaseKey, nameof(observed));
        LeaseWrites.CheckOwner(newOwner, nameof(newOwner));
        var expected = LeaseWrites.Taken(observed, newOwner);
        var switched = LeaseWrites.SwitchesOwner(observed, newOwner);

        // Removes checkpointOwner as the KCL 3.x take does: a take ends any graceful handoff in progress.
        var update = new Update(
                observed.LeaseKey,
                switched
                    ? "SET #owner = :newOwner, #counter = :next REMOVE #cpOwner ADD #switches :one"
                    : "SET #owner = :newOwner, #counter = :next REMOVE #cpOwner",
                "#counter = :counter")
            .Name(Counter, LeaseAttributes.LeaseCounter).Name(Owner, LeaseAttributes.LeaseOwner)
            .Name(CheckpointOwner, LeaseAttributes.CheckpointOwner)
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

        // Conditional on the owners alone, as the KCL's eviction is, so the counter is added to rather than set.
        // During a handoff only the checkpoint owner goes, so the named next owner gets the lease.
        var handoff = observed.CheckpointOwner is not null;
        var update = new Update(
                observed.LeaseKey,
                handoff ? "REMOVE #cpOwner ADD #counter :one" : "REMOVE #owner, #cpOwner ADD #counter :one",
                handoff ? "#owner = :owner AND #cpOwner = :cpOwner" : "#owner = :owner AND attribute_not_exists(#cpOwner)")
            .Name(Counter, LeaseAttributes.LeaseCounter).Name(Owner, LeaseAttributes.LeaseOwner)
            .Name(CheckpointOwner, LeaseAttributes.CheckpointOwner)
            .Value(":one", 1).Value(":owner", observed.LeaseOwner);
        if (handoff)
        {
            update.Value(":cpOwner", observed.CheckpointOwner!);
        }

        return UpdateAsync(update, cancellationToken);
    }

    public Task<Lease?> ReleaseAsync(Lease held, CancellationToken cancellationToken = default)
    {
        var owner = LeaseWrites.CheckHeld(held);
        var expected = LeaseWrites.Unowned(held);

        // During a handoff this is the KCL 3.x transfer: the checkpoint owner steps aside for the named next owner.
        return UpdateAsync(
            Fenced(new Update(held.LeaseKey, held.CheckpointOwner is null ? "REMOVE #owner SET #counter = :next" : "REMOVE #cpOwner SET #counter = :next"), held, owner)
                .Value(":next", expected.LeaseCounter),
            cancellationToken);
    }

    public Task<Lease?> UpdateCheckpointAsync(Lease held, ExtendedSequenceNumber checkpoint, CancellationToken cancellationToken = default)
    {
        var owner = LeaseWrites.CheckHeld(held);
        LeaseWrites.CheckPosition(checkpoint, nameof(checkpoint));
        var expected = LeaseWrites.Checkpointed(held, checkpoint);
        return UpdateAsync(
            Fenced(
                    new Update(
                        held.LeaseKey,
                        "SET #cp = :cp, #cpSub = :cpSub, #switches = :zero, #counter = :next REMOVE #pending, #pendingSub, #pendingState"),
                    held,
                    owner)
                .Name("#cp", LeaseAttributes.Checkpoint).Name("#cpSub", LeaseAttributes.CheckpointSubSequenceNumber)
                .Name("#switches", LeaseAttributes.OwnerSwitchesSinceCheckpoint)
                .Name("#pending", LeaseAttributes.PendingCheckpoint)
                .Name("#pendingSub", LeaseAttributes.PendingCheckpointSubSequenceNumber)
                .Name("#pendingState", LeaseAttributes.PendingCheckpointState)
                .Value(":next", expected.LeaseCounter)
                .Value(":cp", checkpoint.SequenceNumber).Value(":cpSub", checkpoint.SubSequenceNumber).Value(":zero", 0),
            cancellationToken);
    }

    public Task<Lease?> PrepareCheckpointAsync(
        Lease held, ExtendedSequenceNumber pendingCheckpoint, byte[]? pendingCheckpointState, CancellationToken cancellationToken = default)
    {
        var owner = LeaseWrites.CheckHeld(held);
        LeaseWrites.CheckPosition(pendingCheckpoint, nameof(pendingCheckpoint));
        var expected = LeaseWrites.Prepared(held, pendingCheckpoint, pendingCheckpointState);
        var update = Fenced(
                new Update(
                    held.LeaseKey,
                    pendingCheckpointState is null
                        ? "SET #pending = :pending, #pendingSub = :pendingSub, #counter = :next REMOVE #pendingState"
                        : "SET #pending = :pending, #pendingSub = :pendingSub, #pendingState = :state, #counter = :next"),
                held,
                owner)
            .Name("#pending", LeaseAttributes.PendingCheckpoint)
            .Name("#pendingSub", LeaseAttributes.PendingCheckpointSubSequenceNumber)
            .Name("#pendingState", LeaseAttributes.PendingCheckpointState)
            .Value(":next", expected.LeaseCounter)
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
            Fenced(new Update(held.LeaseKey, "SET #children = :children, #counter = :next"), held, owner)
                .Name("#children", LeaseAttributes.ChildShardIds)
                .Value(":next", expected.LeaseCounter)
                .Value(":children", LeaseSerializer.SS(children)),
            cancellationToken);
    }

    /// <summary>
    /// The fence of every write to a held lease: the counter and both owners as held. A KCL 3.x leader starting a
    /// graceful handoff changes the owners without the counter, so the holder's next write fails here and the
    /// holder reads the row back to learn of the handoff.
    /// </summary>
    private static Update Fenced(Update update, Lease held, string owner)
    {
        update.Name(Counter, LeaseAttributes.LeaseCounter).Name(Owner, LeaseAttributes.LeaseOwner)
            .Name(CheckpointOwner, LeaseAttributes.CheckpointOwner)
            .Value(":counter", held.LeaseCounter).Value(":owner", owner);
        if (held.CheckpointOwner is { } checkpointOwner)
        {
            update.Condition = "#counter = :counter AND #owner = :owner AND #cpOwner = :cpOwner";
            update.Value(":cpOwner", checkpointOwner);
        }
        else
        {
            update.Condition = "#counter = :counter AND #owner = :owner AND attribute_not_exists(#cpOwner)";
        }

        return update;
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
    private sealed class Update(string leaseKey, string expression, string condition = "")
    {
        public string LeaseKey { get; } = leaseKey;

        public string Expression { get; } = expression;

        public string Condition { get; set; } = condition;

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
