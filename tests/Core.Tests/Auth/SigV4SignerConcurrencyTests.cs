using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Kinesis.Clients.Auth;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Tests.Auth;

public sealed class SigV4SignerConcurrencyTests
{
    private const int Distinct = 64;
    private const int Rounds = 40;

    [Fact(Timeout = 60_000)]
    public async Task Signers_shared_by_many_threads_give_the_same_signatures_as_one_thread()
    {
        // Two signers with different scopes share AWSSDK.Core's static signing-key cache while they race.
        var credentials = new SessionAWSCredentials(SigV4Vectors.AccessKey, SigV4Vectors.SecretKey, "token");
        var time = new FakeTimeProvider(SigV4Vectors.SuiteTime);
        SigV4Signer[] signers =
        [
            new(credentials, "us-east-1", "kinesis", time),
            new(credentials, "eu-west-1", "monitoring", time),
        ];

        var expected = new string[Distinct];
        for (var i = 0; i < Distinct; i++)
        {
            expected[i] = await SignAsync(signers, i);
        }

        var mismatches = 0;
        var work = Enumerable.Range(0, Distinct * Rounds);
        await Parallel.ForEachAsync(
            work,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(8, Environment.ProcessorCount * 4) },
            async (n, _) =>
            {
                var i = n % Distinct;
                if (await SignAsync(signers, i) != expected[i])
                {
                    Interlocked.Increment(ref mismatches);
                }
            });

        Assert.Equal(0, mismatches);
        Assert.Equal(Distinct, expected.Distinct().Count());
    }

    private static async Task<string> SignAsync(SigV4Signer[] signers, int i)
    {
        var body = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"StreamName\":\"stream-{i}\"}}"));
        using var request = SigV4TestRequests.Create(
            "POST", $"https://host-{i % 3}.example.com/", "application/x-amz-json-1.1", body,
            $"X-Amz-Target:Target_{i % 5}");
        await signers[i % signers.Length].SignAsync(request, body, CancellationToken.None);
        return SigV4TestRequests.Authorization(request);
    }
}
