namespace Kinesis.Clients.Metrics;

/// <summary>Count, sum, minimum and maximum of the samples of one series; merging two is exact.</summary>
internal struct SampleStatistics
{
    public long Count;
    public double Sum;
    public double Minimum;
    public double Maximum;

    public void Add(double value)
    {
        if (Count == 0)
        {
            Minimum = value;
            Maximum = value;
        }
        else
        {
            if (value < Minimum)
            {
                Minimum = value;
            }

            if (value > Maximum)
            {
                Maximum = value;
            }
        }

        Count++;
        Sum += value;
    }

    public void Merge(in SampleStatistics other)
    {
        if (other.Count == 0)
        {
            return;
        }

        if (Count == 0)
        {
            this = other;
            return;
        }

        Count += other.Count;
        Sum += other.Sum;
        Minimum = Math.Min(Minimum, other.Minimum);
        Maximum = Math.Max(Maximum, other.Maximum);
    }
}
