using Kinesis.Clients.Producer.Pipeline;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class RequestSlotsTests
{
    // Steps: N = a new request planned, R = a retry asks for a slot, D = a request gives its slot back.
    // Expected: requests in flight, then retries granted so far, then retries still waiting.
    public static TheoryData<int, string, int, int, int> Cases => new()
    {
        { 2, "", 0, 0, 0 },
        { 2, "R", 1, 1, 0 },
        { 2, "NN", 2, 0, 0 },
        { 2, "NNR", 2, 0, 1 },
        { 2, "NNRD", 2, 1, 0 },
        { 2, "NNRRD", 2, 1, 1 },
        { 2, "NNRRDD", 2, 2, 0 },
        { 2, "NNRRDDD", 1, 2, 0 },
        { 1, "NRRDD", 1, 2, 0 },
        { 1, "RRR", 1, 1, 2 },
        { 3, "NRDN", 2, 1, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Slots_go_to_waiting_retries_first_and_never_beyond_the_maximum(int max, string steps, int inFlight, int granted, int waiting)
    {
        var slots = new RequestSlots<TaskCompletionSource>(max, grant => grant.TrySetResult());
        var grants = new List<TaskCompletionSource>();
        foreach (var step in steps)
        {
            switch (step)
            {
                case 'N':
                    slots.TakeForNewRequest();
                    break;
                case 'R':
                    var grant = new TaskCompletionSource();
                    grants.Add(grant);
                    slots.Request(grant);
                    break;
                case 'D':
                    slots.Release();
                    break;
            }

            Assert.True(slots.InFlight <= max, $"{slots.InFlight} requests in flight after '{step}', at most {max} allowed");
        }

        Assert.Equal(inFlight, slots.InFlight);
        Assert.Equal(granted, grants.Count(g => g.Task.IsCompletedSuccessfully));
        Assert.Equal(waiting, slots.Waiting);

        // Retries are granted in the order they asked.
        var firstWaiting = grants.FindIndex(g => !g.Task.IsCompleted);
        Assert.True(firstWaiting < 0 || grants.Skip(firstWaiting).All(g => !g.Task.IsCompleted));
    }
}
