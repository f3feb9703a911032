using CsCheck;

namespace Kinesis.Clients.Testing.Tests.Helpers;

public sealed class SeededCheckTests
{
    [Fact]
    public void Every_run_draws_the_same_cases_and_another_stream_draws_others()
    {
        List<long> Draw(uint stream)
        {
            var drawn = new List<long>();
            SeededCheck.ForAll(Gen.Long, drawn.Add, cases: 50, stream: stream);
            return drawn;
        }

        var first = Draw(1);
        Assert.Equal(50, first.Count);
        Assert.Equal(first, Draw(1));
        Assert.NotEqual(first, Draw(7));
        Assert.True(first.Distinct().Count() > 45, "the seeds should spread the cases");
    }

    [Fact]
    public void A_failing_case_fails_with_the_seed_that_reproduces_it()
    {
        var failure = Assert.ThrowsAny<Exception>(() => SeededCheck.ForAll(Gen.Int[0, 100], i => Assert.True(i < 90)));

        // CsCheck's message names the seed and carries the assertion's own.
        Assert.Contains("seed", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Assert.True() Failure", failure.Message, StringComparison.Ordinal);
    }
}
