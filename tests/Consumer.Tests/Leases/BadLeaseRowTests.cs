using Amazon.DynamoDBv2.Model;
using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// Lease rows no KCL writes (hand-edited, another application's table, a wrong type): each is refused with an error
/// naming the row, never read as a lease at TRIM_HORIZON with counter 0.
/// </summary>
public sealed class BadLeaseRowTests
{
    private const string Key = "shardId-000000000007";

    public static TheoryData<string, string, string> BadRows => new()
    {
        // because, attribute changed, how (an S value, N:<n>, SS:<a,b>, or "-" to remove it)
        { "no leaseKey", "leaseKey", "-" },
        { "a numeric leaseKey", "leaseKey", "N:7" },
        { "a leaseCounter that is a string", "leaseCounter", "S:12" },
        { "a leaseCounter that is not a number", "leaseCounter", "N:many" },
        { "a numeric leaseOwner", "leaseOwner", "N:1" },
        { "a numeric checkpoint", "checkpoint", "N:49590338271490256608559692538361571095921575989136588898" },
        { "a checkpoint that is no position", "checkpoint", "somewhere" },
        { "a checkpointSubSequenceNumber that is a string", "checkpointSubSequenceNumber", "S:0" },
        { "an ownerSwitchesSinceCheckpoint that is a string", "ownerSwitchesSinceCheckpoint", "S:2" },
        { "a parentShardId that is a plain string", "parentShardId", "shardId-000000000001" },
        { "a childShardIds that is a plain string", "childShardIds", "shardId-000000000009" },
        { "a hash key range that ends before it starts", "startingHashKey", "340282366920938463463374607431768211455" },
        { "a hash key beyond 2^128 - 1", "endingHashKey", "340282366920938463463374607431768211456" },
        { "a numeric entityType", "entityType", "N:1" },
        { "a pendingCheckpoint that is no position", "pendingCheckpoint", "halfway" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void A_row_no_KCL_writes_is_refused_naming_it(string because, string attribute, string how)
    {
        var item = GoodRow();
        if (how == "-")
        {
            item.Remove(attribute);
        }
        else
        {
            item[attribute] = how switch
            {
                _ when how.StartsWith("N:", StringComparison.Ordinal) => new AttributeValue { N = how[2..] },
                _ when how.StartsWith("S:", StringComparison.Ordinal) => new AttributeValue { S = how[2..] },
                _ => new AttributeValue { S = how },
            };
        }

        var error = Assert.Throws<InvalidDataException>(() => LeaseSerializer.FromItem(item));

        // A row is named by its key; a row whose key is at fault, by that.
        Assert.True(error.Message.Contains(attribute == "leaseKey" ? "leaseKey" : Key, StringComparison.Ordinal), $"{because}: {error.Message}");
    }

    [Fact]
    public void The_good_row_the_bad_ones_start_from_reads()
    {
        var lease = LeaseSerializer.FromItem(GoodRow());

        Assert.Equal(Key, lease.LeaseKey);
        Assert.Equal(["shardId-000000000001"], lease.ParentShardIds);
    }

    private static Dictionary<string, AttributeValue> GoodRow() => new(StringComparer.Ordinal)
    {
        ["leaseKey"] = new AttributeValue { S = Key },
        ["leaseOwner"] = new AttributeValue { S = "java-worker-1" },
        ["leaseCounter"] = new AttributeValue { N = "12" },
        ["checkpoint"] = new AttributeValue { S = "49590338271490256608559692538361571095921575989136588898" },
        ["checkpointSubSequenceNumber"] = new AttributeValue { N = "0" },
        ["ownerSwitchesSinceCheckpoint"] = new AttributeValue { N = "2" },
        ["parentShardId"] = new AttributeValue { SS = ["shardId-000000000001"] },
        ["startingHashKey"] = new AttributeValue { S = "0" },
        ["endingHashKey"] = new AttributeValue { S = "170141183460469231731687303715884105727" },
    };
}
