namespace Kinesis.Clients.Agent;

/// <summary>
/// What a flow sends to; its name is the prefix of the <c>Destination</c> metric dimension, as the Java agent
/// writes it (<c>KinesisStream:&lt;name&gt;</c>, <c>DeliveryStream:&lt;name&gt;</c>).
/// </summary>
internal enum DestinationKind
{
    /// <summary>A Kinesis data stream (<c>kinesisStream</c>).</summary>
    KinesisStream,

    /// <summary>A Firehose delivery stream (<c>deliveryStream</c>).</summary>
    DeliveryStream,
}
