namespace Kinesis.Clients.Producer.Tests.Units;

/// <summary>Checks that every window [t, t + 1 s] holds at most capacity + rate · 1 s + its largest item.</summary>
internal static class WindowBound
{
    public static void AssertEveryWindow(IReadOnlyList<(long At, double Amount)> taken, long frequency, double capacity, double ratePerSecond)
    {
        // A window holding the most starts at some take, so windows starting at takes are enough.
        for (var i = 0; i < taken.Count; i++)
        {
            double sum = 0, largest = 0;
            for (var j = i; j < taken.Count && taken[j].At <= taken[i].At + frequency; j++)
            {
                sum += taken[j].Amount;
                largest = Math.Max(largest, taken[j].Amount);
            }

            var bound = capacity + ratePerSecond + largest;
            Assert.True(
                sum <= bound * (1 + 1e-9),
                $"{sum} taken in the second from tick {taken[i].At - taken[0].At} after the first take; bound {bound} (capacity {capacity}, rate {ratePerSecond}/s, largest item {largest})");
        }
    }
}
