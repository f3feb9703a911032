using Kinesis.Clients.Consumer.Leases.Kcl3;

namespace Kinesis.Clients.Consumer.Tests.Leases.Kcl3;

/// <summary>Expected draws were printed by <c>java.util.Random</c> on OpenJDK 17.0.15.</summary>
public sealed class JavaRandomTests
{
    [Fact]
    public void Draws_with_the_KCL_seed_match_the_JVM_for_every_kind_of_bound()
    {
        var random = new JavaRandom(1947);
        int[] bounds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1000, int.MaxValue, 1_073_741_825];

        var draws = bounds.Select(random.NextInt).ToArray();

        Assert.Equal([0, 0, 2, 1, 2, 0, 1, 3, 1, 5, 6, 4, 456, 667_615_324, 382_950_964], draws);
    }

    [Fact]
    public void Draws_with_another_seed_match_the_JVM()
    {
        var random = new JavaRandom(42);

        var draws = Enumerable.Range(0, 10).Select(_ => random.NextInt(10)).ToArray();

        Assert.Equal([0, 3, 8, 4, 0, 5, 5, 8, 9, 3], draws);
    }

    [Fact]
    public void A_bound_just_over_a_power_of_two_rejects_and_redraws_as_the_JVM_does()
    {
        // With 2^30 + 1 about half of the raw draws fall in the incomplete top run and are drawn again.
        var random = new JavaRandom(-7);

        var draws = Enumerable.Range(0, 6).Select(_ => random.NextInt(1_073_741_825)).ToArray();

        Assert.Equal([577_934_662, 314_447_087, 677_675_436, 184_135_245, 425_474_944, 988_357_177], draws);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_bound_that_is_not_positive_is_refused(int bound)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new JavaRandom(1).NextInt(bound));

        Assert.Equal("bound", error.ParamName);
    }
}
