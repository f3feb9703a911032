namespace Kinesis.Clients.CloudWatch;

/// <summary>
/// Several observations of one metric sent as one datum: how many there were, their sum, smallest and largest.
/// </summary>
/// <param name="SampleCount">How many observations; more than zero.</param>
/// <param name="Sum">Their sum.</param>
/// <param name="Minimum">The smallest; not above <paramref name="Maximum"/>.</param>
/// <param name="Maximum">The largest.</param>
public readonly record struct StatisticSet(double SampleCount, double Sum, double Minimum, double Maximum);
