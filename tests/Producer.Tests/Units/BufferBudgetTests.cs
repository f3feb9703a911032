using Kinesis.Clients.Producer.Buffering;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class BufferBudgetTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void TryAcquire_takes_room_while_bytes_and_records_both_fit()
    {
        var budget = new BufferBudget(maxBytes: 1000, maxRecords: 3);

        Assert.True(budget.TryAcquire(400));
        Assert.True(budget.TryAcquire(400));
        Assert.True(budget.TryAcquire(200));

        Assert.Equal(1000, budget.Bytes);
        Assert.Equal(3, budget.Records);
    }

    [Fact]
    public void TryAcquire_refuses_a_record_that_would_go_over_the_bytes_and_takes_nothing()
    {
        var budget = new BufferBudget(maxBytes: 1000, maxRecords: 10);
        Assert.True(budget.TryAcquire(600));

        Assert.False(budget.TryAcquire(401));

        Assert.Equal(600, budget.Bytes);
        Assert.Equal(1, budget.Records);
        Assert.True(budget.TryAcquire(400));
    }

    [Fact]
    public void TryAcquire_refuses_a_record_that_would_go_over_the_records_and_takes_nothing()
    {
        var budget = new BufferBudget(maxBytes: 1000, maxRecords: 2);
        Assert.True(budget.TryAcquire(1));
        Assert.True(budget.TryAcquire(1));

        Assert.False(budget.TryAcquire(0));

        Assert.Equal(2, budget.Bytes);
        Assert.Equal(2, budget.Records);
    }

    [Fact]
    public void Release_gives_back_the_bytes_and_the_record()
    {
        var budget = new BufferBudget(maxBytes: 1000, maxRecords: 2);
        budget.TryAcquire(700);
        budget.TryAcquire(300);

        budget.Release(700);

        Assert.Equal(300, budget.Bytes);
        Assert.Equal(1, budget.Records);
        Assert.True(budget.TryAcquire(700));
    }

    [Fact]
    public void An_empty_budget_takes_one_record_larger_than_MaxBytes_and_nothing_beside_it()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 10);

        Assert.True(budget.TryAcquire(1000));
        Assert.Equal(1000, budget.Bytes);
        Assert.False(budget.TryAcquire(1));

        budget.Release(1000);
        Assert.Equal(0, budget.Bytes);
        Assert.Equal(0, budget.Records);
        Assert.True(budget.AcquireAsync(5000, CancellationToken.None).AsTask().IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_waiter_larger_than_MaxBytes_gets_in_once_the_budget_empties()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 10);
        budget.TryAcquire(10);
        var big = budget.AcquireAsync(500, CancellationToken.None).AsTask();
        Assert.False(big.IsCompleted);

        budget.Release(10);

        await big.WaitAsync(Timeout);
        Assert.Equal(500, budget.Bytes);
        Assert.Equal(1, budget.Records);
    }

    [Fact]
    public void AcquireAsync_completes_at_once_when_the_record_fits()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 10);

        Assert.True(budget.AcquireAsync(60, CancellationToken.None).AsTask().IsCompletedSuccessfully);
        Assert.True(budget.AcquireAsync(40, CancellationToken.None).AsTask().IsCompletedSuccessfully);
        Assert.Equal(100, budget.Bytes);
        Assert.Equal(2, budget.Records);
    }

    [Fact]
    public async Task Waiters_are_let_in_first_come_first_served_as_Release_frees_room()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 100);
        for (var i = 0; i < 4; i++)
        {
            budget.TryAcquire(25);
        }

        var first = budget.AcquireAsync(25, CancellationToken.None).AsTask();
        var second = budget.AcquireAsync(25, CancellationToken.None).AsTask();
        var third = budget.AcquireAsync(25, CancellationToken.None).AsTask();
        Assert.False(first.IsCompleted || second.IsCompleted || third.IsCompleted);

        budget.Release(25);
        await first.WaitAsync(Timeout);
        Assert.False(second.IsCompleted || third.IsCompleted);

        budget.Release(25);
        await second.WaitAsync(Timeout);
        Assert.False(third.IsCompleted);

        budget.Release(25);
        await third.WaitAsync(Timeout);
        Assert.Equal(100, budget.Bytes);
        Assert.Equal(4, budget.Records);
    }

    [Fact]
    public async Task One_release_lets_in_every_waiter_at_the_head_that_now_fits()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 100);
        budget.TryAcquire(100);
        var waiters = Enumerable.Range(0, 4).Select(_ => budget.AcquireAsync(30, CancellationToken.None).AsTask()).ToArray();

        budget.Release(100);

        await Task.WhenAll(waiters[..3]).WaitAsync(Timeout);
        Assert.False(waiters[3].IsCompleted);
        Assert.Equal(90, budget.Bytes);
        Assert.Equal(3, budget.Records);
    }

    [Fact]
    public void TryAcquire_does_not_jump_the_queue_of_waiters()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 100);
        budget.TryAcquire(60);
        var waiting = budget.AcquireAsync(50, CancellationToken.None).AsTask();

        Assert.False(budget.TryAcquire(10));
        Assert.False(waiting.IsCompleted);
        Assert.Equal(60, budget.Bytes);
    }

    [Fact]
    public async Task A_large_waiter_at_the_head_holds_back_smaller_ones_behind_it()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 100);
        budget.TryAcquire(30);
        budget.TryAcquire(30);
        var big = budget.AcquireAsync(80, CancellationToken.None).AsTask();
        var small = budget.AcquireAsync(10, CancellationToken.None).AsTask();

        // 10 bytes would fit now, but the 80-byte waiter came first.
        Assert.False(small.IsCompleted);
        budget.Release(30);
        Assert.False(big.IsCompleted);
        Assert.False(small.IsCompleted);

        budget.Release(30);
        await Task.WhenAll(big, small).WaitAsync(Timeout);
        Assert.Equal(90, budget.Bytes);
        Assert.Equal(2, budget.Records);
    }

    [Fact]
    public async Task Cancelling_a_waiter_throws_OperationCanceledException_and_takes_no_budget()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 100);
        budget.TryAcquire(100);
        using var cts = new CancellationTokenSource();
        var waiting = budget.AcquireAsync(10, cts.Token).AsTask();

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Timeout));
        Assert.Equal(100, budget.Bytes);
        Assert.Equal(1, budget.Records);
        budget.Release(100);
        Assert.Equal(0, budget.Bytes);
        Assert.Equal(0, budget.Records);
        Assert.True(budget.TryAcquire(10));
    }

    [Fact]
    public async Task A_token_already_cancelled_throws_when_the_record_would_wait_and_queues_nothing()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 100);
        budget.TryAcquire(100);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => budget.AcquireAsync(10, cts.Token).AsTask().WaitAsync(Timeout));

        budget.Release(100);
        Assert.Equal(0, budget.Records);
        Assert.True(budget.TryAcquire(10));
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_and_the_next_one_is_served_in_its_place()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 100);
        budget.TryAcquire(100);
        using var cts = new CancellationTokenSource();
        var cancelled = budget.AcquireAsync(50, cts.Token).AsTask();
        var next = budget.AcquireAsync(60, CancellationToken.None).AsTask();

        await cts.CancelAsync();
        budget.Release(100);

        await next.WaitAsync(Timeout);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));
        Assert.Equal(60, budget.Bytes);
        Assert.Equal(1, budget.Records);
    }

    [Fact]
    public async Task Cancelling_the_waiter_at_the_head_lets_in_the_waiter_behind_it_when_that_one_fits()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 100);
        budget.TryAcquire(90);
        using var cts = new CancellationTokenSource();
        var big = budget.AcquireAsync(50, cts.Token).AsTask();
        var small = budget.AcquireAsync(5, CancellationToken.None).AsTask();

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => big.WaitAsync(Timeout));

        // Nobody is ahead of the 5-byte waiter any more and 95 of 100 bytes would hold it; no Release is coming.
        var served = await Task.WhenAny(small, Task.Delay(TimeSpan.FromSeconds(5))) == small;
        Assert.True(served, $"the 5-byte waiter is still queued with {budget.Bytes} of {budget.MaxBytes} bytes in use and nobody ahead of it");
        Assert.Equal(95, budget.Bytes);
        Assert.Equal(2, budget.Records);
    }

    [Fact]
    public async Task Cancelling_after_the_waiter_was_served_changes_nothing()
    {
        var budget = new BufferBudget(maxBytes: 100, maxRecords: 100);
        budget.TryAcquire(100);
        using var cts = new CancellationTokenSource();
        var waiting = budget.AcquireAsync(40, cts.Token).AsTask();
        budget.Release(100);
        await waiting.WaitAsync(Timeout);

        await cts.CancelAsync();

        Assert.True(waiting.IsCompletedSuccessfully);
        Assert.Equal(40, budget.Bytes);
        Assert.Equal(1, budget.Records);
    }

    [Fact]
    public async Task Many_tasks_acquiring_and_releasing_at_once_never_exceed_the_bounds_and_end_at_zero()
    {
        const long MaxBytes = 1000;
        const long MaxRecords = 8;
        var budget = new BufferBudget(MaxBytes, MaxRecords);
        var violations = 0;
        long maxBytesSeen = 0, maxRecordsSeen = 0;
        using var stop = new CancellationTokenSource();

        void Sample()
        {
            var bytes = budget.Bytes;
            var records = budget.Records;
            if (bytes > MaxBytes || records > MaxRecords || bytes < 0 || records < 0)
            {
                Interlocked.Increment(ref violations);
            }

            InterlockedMax(ref maxBytesSeen, bytes);
            InterlockedMax(ref maxRecordsSeen, records);
        }

        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                Sample();
                await Task.Yield();
            }
        });

        var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var i = 0; i < 500; i++)
            {
                long size = random.Next(1, 201);
                if (i % 3 != 0 || !budget.TryAcquire(size))
                {
                    await budget.AcquireAsync(size, CancellationToken.None).AsTask();
                }

                Sample();
                if (random.Next(4) == 0)
                {
                    await Task.Yield();
                }

                budget.Release(size);
            }
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(Timeout);
        await stop.CancelAsync();
        await sampler.WaitAsync(Timeout);

        Assert.Equal(0, violations);
        Assert.InRange(maxBytesSeen, 1, MaxBytes);
        Assert.InRange(maxRecordsSeen, 1, MaxRecords);
        Assert.Equal(0, budget.Bytes);
        Assert.Equal(0, budget.Records);
    }

    private static void InterlockedMax(ref long location, long value)
    {
        var current = Volatile.Read(ref location);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
