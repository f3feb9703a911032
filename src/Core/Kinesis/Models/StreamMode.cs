namespace Kinesis.Clients;

/// <summary>How a stream's capacity is managed.</summary>
public enum StreamMode
{
    /// <summary>A fixed number of shards that the owner sets.</summary>
    Provisioned,

    /// <summary>Kinesis scales the shards with the traffic.</summary>
    OnDemand,
}
