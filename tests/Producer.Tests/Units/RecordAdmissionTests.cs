using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class RecordAdmissionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static RecordAdmission Admission(long maxBytes = 1000, int maxRecords = 10, bool failWhenFull = false) =>
        new(new KinesisProducerOptions { MaxBufferedBytes = maxBytes, MaxBufferedRecords = maxRecords, FailWhenBufferFull = failWhenFull });

    [Fact]
    public void A_record_takes_its_data_plus_its_key_in_UTF8_bytes_and_gets_its_keys_hash()
    {
        var admission = Admission();

        Assert.True(admission.TryAdmit("s", "kéy", new byte[100], null, out var size, out var hashKey));

        Assert.Equal(100 + 4, size);
        Assert.Equal(HashKey.FromPartitionKey("kéy"), hashKey);
        Assert.Equal(104, admission.Bytes);
        Assert.Equal(1, admission.Records);
    }

    [Fact]
    public void An_explicit_hash_key_places_the_record()
    {
        var admission = Admission();

        Assert.True(admission.TryAdmit("s", "k", new byte[1], "12345", out _, out var hashKey));

        Assert.Equal(HashKey.Parse("12345"), hashKey);
        Assert.Equal(HashKey.Parse("12345"), admission.HashKeyOf("k", "12345"));
    }

    [Fact]
    public void The_hash_key_found_again_is_the_one_given_on_admission()
    {
        var admission = Admission();
        admission.TryAdmit("s", "key-1", new byte[1], null, out _, out var cached);

        Assert.Equal(cached, admission.HashKeyOf("key-1", null));
        Assert.Equal(HashKey.FromPartitionKey("never-seen"), admission.HashKeyOf("never-seen", null));
    }

    public static TheoryData<string, string, int, string?, string> BadRecords => new()
    {
        // stream, partition key, data bytes, explicit hash key -> the parameter named
        { "", "k", 1, null, "streamName" },
        { "bad stream!", "k", 1, null, "streamName" },
        { "s", "", 1, null, "partitionKey" },
        { "s", new string('k', 257), 1, null, "partitionKey" },
        { "s", "k", 1, "-1", "explicitHashKey" },
        { "s", "k", 1, "340282366920938463463374607431768211456", "explicitHashKey" },
        { "s", "k", 1024 * 1024, null, "data" },
    };

    [Theory]
    [MemberData(nameof(BadRecords))]
    public void A_bad_record_is_refused_naming_what_was_wrong_and_takes_no_room(string stream, string key, int dataBytes, string? explicitHashKey, string parameter)
    {
        var admission = Admission(maxBytes: 10 * 1024 * 1024);

        var ex = Assert.ThrowsAny<ArgumentException>(() => admission.TryAdmit(stream, key, new byte[dataBytes], explicitHashKey, out _, out _));

        Assert.Equal(parameter, ex.ParamName);
        Assert.Equal(0, admission.Bytes);
        Assert.Equal(0, admission.Records);
    }

    [Fact]
    public void With_FailWhenBufferFull_a_record_that_does_not_fit_is_refused_with_the_buffers_figures()
    {
        var admission = Admission(maxBytes: 1000, failWhenFull: true);
        Assert.True(admission.TryAdmit("s", "k", new byte[899], null, out _, out _));

        var ex = Assert.Throws<ProducerBufferFullException>(() => admission.TryAdmit("orders", "k", new byte[200], null, out _, out _));

        Assert.Contains("1 records, 900 of 1000 bytes; record of 201 bytes for stream orders", ex.Message, StringComparison.Ordinal);
        Assert.Equal(900, admission.Bytes);
    }

    [Fact]
    public async Task Without_FailWhenBufferFull_the_caller_waits_until_completed_records_free_room()
    {
        var admission = Admission(maxBytes: 1000, maxRecords: 1);
        Assert.True(admission.TryAdmit("s", "k", new byte[9], null, out var first, out _));
        Assert.False(admission.TryAdmit("s", "k", new byte[9], null, out var second, out _));

        var waiting = admission.WaitAsync(second, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        admission.Release(first, 1);

        await waiting.WaitAsync(Timeout);
        Assert.Equal(1, admission.Records);
        Assert.Equal(10, admission.Bytes);
    }

    [Fact]
    public async Task A_waiting_caller_can_give_up()
    {
        var admission = Admission(maxRecords: 1);
        admission.TryAdmit("s", "k", new byte[9], null, out _, out _);
        using var cancel = new CancellationTokenSource();

        var waiting = admission.WaitAsync(10, cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(Timeout));
        Assert.Equal(1, admission.Records);
    }

    public static TheoryData<int[], int, string> BadRuns => new()
    {
        // lengths, data bytes -> the message's gist
        { [], 0, "at least one record length" },
        { [5, -1], 4, "must not be negative" },
        { [5, 5], 11, "add up to 10 bytes but the data has 11" },
        { [30_000, 30_000], 60_000, "AggregationMaxSize is 51200" },
    };

    [Theory]
    [MemberData(nameof(BadRuns))]
    public void A_bad_run_is_refused_saying_why(int[] lengths, int dataBytes, string why)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => Admission().CheckRun("k", new byte[dataBytes], lengths));

        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_is_copied_and_a_run_of_one_is_a_plain_record()
    {
        var lengths = new[] { 3, 4 };
        var copy = Admission().CheckRun("k", new byte[7], lengths);

        Assert.Equal(lengths, copy);
        Assert.NotSame(lengths, copy);
        Assert.Null(Admission().CheckRun("k", new byte[7], [7]));
    }

    [Fact]
    public void Runs_need_aggregation()
    {
        var admission = new RecordAdmission(new KinesisProducerOptions { AggregationEnabled = false });

        Assert.Throws<InvalidOperationException>(() => admission.CheckRun("k", new byte[2], [1, 1]));
    }
}
