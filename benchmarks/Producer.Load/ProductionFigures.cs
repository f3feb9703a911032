namespace Kinesis.Clients.Producer.Load;

/// <summary>What one producer run (or several, <see cref="With"/>) put on the wire and spent.</summary>
/// <param name="WireBytes">KinesisRecordsDataPut over the measured records: what the shards are charged.</param>
/// <param name="UserBytes">UserRecordsDataPut over the measured records.</param>
/// <param name="KinesisRecords">Kinesis records put for the measured records.</param>
/// <param name="CpuPerMillion">The process's CPU seconds per million measured records.</param>
/// <param name="LifeUserBytes">User data over the producer's whole life, settling round included.</param>
/// <param name="Life">The producer's life (settling round and measured records).</param>
/// <param name="Producers">How many runs these figures add up.</param>
internal readonly record struct ProductionFigures(
    long WireBytes, long UserBytes, long KinesisRecords, double CpuPerMillion, long LifeUserBytes, TimeSpan Life, int Producers = 1)
{
    /// <summary>These runs and <paramref name="other"/>'s together: sums, and the mean CPU per million records.</summary>
    public ProductionFigures With(ProductionFigures other) => new(
        WireBytes + other.WireBytes,
        UserBytes + other.UserBytes,
        KinesisRecords + other.KinesisRecords,
        ((CpuPerMillion * Producers) + (other.CpuPerMillion * other.Producers)) / (Producers + other.Producers),
        LifeUserBytes + other.LifeUserBytes,
        Life + other.Life,
        Producers + other.Producers);
}
