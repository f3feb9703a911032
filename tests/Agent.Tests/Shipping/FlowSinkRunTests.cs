using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kinesis.Clients.Agent.Processing;
using Kinesis.Clients.Agent.Shipping;
using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Agent.Tests.Configuration;
using Kinesis.Clients.Agent.Tests.Tailing;
using Kinesis.Clients.Producer;
using Kinesis.Clients.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kinesis.Clients.Agent.Tests.Shipping;

/// <summary>
/// <see cref="FlowSink"/> over a real <see cref="KinesisProducer"/> and the local Kinesis engine: consecutive
/// lines of a file go out as runs, each acknowledged once as a range, and every line arrives once.
/// </summary>
[Trait("Category", "Engine")]
public sealed class FlowSinkRunTests : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly LocalAws _aws;

    public FlowSinkRunTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Random_keyed_lines_written_in_a_few_calls_arrive_once_each_in_order_as_runs_inside_one_Kinesis_record_acknowledged_once()
    {
        await using var rig = await SinkRig.StartAsync(_aws, shards: 4, PartitionKeySelector.Random());
        var file = new RecordingFile("/var/log/app/random.log");
        var random = new Random(5_000);
        var lines = Enumerable.Range(0, 5_000).Select(i => NumberedLine(i, random.Next(0, 200))).ToList();
        await rig.WriteInCallsAsync(file, lines, [1_200, 1_800, 7, 1_993]);
        await rig.SettleAsync(file, lines.Count);

        var read = await rig.ReadAsync();
        var texts = read.Select(Text).ToList();
        Assert.Equal(lines, texts.OrderBy(NumberOf));

        // A file's lines keep their order on every shard they went to.
        foreach (var shard in read.GroupBy(r => r.ShardId))
        {
            var numbers = shard.Select(r => NumberOf(Text(r))).ToList();
            Assert.Equal(numbers.Order(), numbers);
        }

        var acks = file.Acks;
        AssertEveryTicketAcknowledgedOnce(acks, lines.Count);
        Assert.Contains(acks, a => a.Count > 1);
        Assert.True(acks.Count <= 100, $"{lines.Count} lines of about 110 bytes fill a dozen aggregates; {acks.Count} runs were shipped.");
        AssertRunsTravelWhole(read, acks, r => NumberOf(Text(r)));

        // One key per aggregate: a handful of keys in all, each a random decimal number.
        var keys = read.Select(r => r.PartitionKey).Distinct().ToList();
        Assert.InRange(keys.Count, 2, acks.Count);
        Assert.All(keys, k => Assert.True(k.All(char.IsAsciiDigit), k));
        AssertCounters(rig.Counters, lines);
    }

    [Fact]
    public async Task Deterministic_keys_make_runs_of_consecutive_equal_lines_and_differing_lines_all_arrive()
    {
        await using var rig = await SinkRig.StartAsync(_aws, shards: 2, PartitionKeySelector.Deterministic());
        var file = new RecordingFile("/var/log/app/deterministic.log");
        List<string> first =
        [
            .. Repeat("alpha", 3), "beta", .. Repeat("alpha", 2),
            .. Repeat("x", 2_100), // more than one run holds (2,048)
            .. Enumerable.Range(0, 50).Select(i => $"distinct {i}"),
            "gamma",
        ];
        List<string> second =
        [
            .. Repeat("gamma", 4), // the same line as the last of the call before: a run does not span calls
            .. Enumerable.Range(0, 100).Select(i => $"different {i}"),
            .. Repeat("alpha", 5),
        ];
        await rig.WriteInCallsAsync(file, [.. first, .. second], [first.Count, second.Count]);
        var total = first.Count + second.Count;
        await rig.SettleAsync(file, total);

        List<(long Ticket, int Count)> expected = [.. EqualRuns(first, 0), .. EqualRuns(second, first.Count)];
        Assert.Equal(expected, file.Acks.OrderBy(a => a.Ticket));
        Assert.Contains(expected, r => r.Count == FlowSink.MaxRunRecords);

        var read = await rig.ReadAsync();
        Assert.Equal(first.Concat(second).Order(StringComparer.Ordinal), read.Select(Text).Order(StringComparer.Ordinal));
        Assert.All(read, r => Assert.Equal(Md5Hex(Text(r)), r.PartitionKey));
        var largestX = read.Where(r => Text(r) == "x").GroupBy(r => (r.ShardId, r.SequenceNumber)).Max(g => g.Count());
        Assert.True(largestX >= FlowSink.MaxRunRecords, $"The run of {FlowSink.MaxRunRecords} equal lines should travel in one Kinesis record; the most in one was {largestX}.");
        AssertCounters(rig.Counters, [.. first, .. second]);
    }

    [Theory]
    [InlineData("RANDOM")]
    [InlineData("DETERMINISTIC")]
    [InlineData("FILE")]
    public async Task A_line_larger_than_an_aggregate_goes_alone_arrives_intact_and_is_acknowledged(string keys)
    {
        await using var rig = await SinkRig.StartAsync(_aws, shards: 2, Keys(keys), o => o.AggregationMaxSize = 51_200);
        var file = new RecordingFile($"/var/log/app/big-{keys}.log");
        string Big(int n) => $"big {n} " + new string((char)('a' + n), 60 * 1024);
        List<string> first = [.. Numbered(0, 100), Big(1), .. Numbered(100, 100)];
        List<string> second = [Big(2), .. Numbered(200, 50), Big(3)];
        await rig.WriteInCallsAsync(file, [.. first, .. second], [first.Count, second.Count]);
        var total = first.Count + second.Count;
        await rig.SettleAsync(file, total);

        var read = await rig.ReadAsync();
        Assert.Equal(first.Concat(second).Order(StringComparer.Ordinal), read.Select(Text).Order(StringComparer.Ordinal));
        var acks = file.Acks;
        AssertEveryTicketAcknowledgedOnce(acks, total);
        List<string> all = [.. first, .. second];
        foreach (var ticket in new[] { 100, 201, 252 })
        {
            Assert.StartsWith("big ", all[ticket], StringComparison.Ordinal);
            Assert.Contains((ticket, 1), acks);
            var big = Assert.Single(read, r => Text(r) == all[ticket]);
            Assert.Single(read, r => (r.ShardId, r.SequenceNumber) == (big.ShardId, big.SequenceNumber));
        }

        AssertCounters(rig.Counters, [.. first, .. second]);
    }

    [Fact]
    public async Task Counters_count_lines_and_their_bytes_not_runs()
    {
        await using var rig = await SinkRig.StartAsync(_aws, shards: 1, PartitionKeySelector.File());
        var file = new RecordingFile("/var/log/app/counted.log");
        var lines = Numbered(0, 3_000).ToList();
        await rig.WriteInCallsAsync(file, lines, [1_000, 1_500, 500]);
        await rig.SettleAsync(file, lines.Count);

        Assert.True(file.Acks.Count < 30, $"3,000 short lines should ship as a few runs, not {file.Acks.Count}.");
        AssertCounters(rig.Counters, lines);
        var read = await rig.ReadAsync();
        Assert.Equal(lines, read.Select(Text));
        Assert.All(read, r => Assert.Equal(file.Path, r.PartitionKey));
    }

    [Fact]
    public async Task Hurrying_sends_what_lingers_without_waiting_for_the_buffer_time()
    {
        await using var rig = await SinkRig.StartAsync(_aws, shards: 1, PartitionKeySelector.Random(), o =>
        {
            o.RecordMaxBufferedTime = TimeSpan.FromMinutes(10);
            o.RecordTtl = TimeSpan.FromMinutes(20);
        });
        var file = new RecordingFile("/var/log/app/hurried.log");
        var lines = Numbered(0, 10).ToList();
        await rig.WriteInCallsAsync(file, lines, [lines.Count]);

        rig.Sink.Hurry();
        await Eventually.HoldsAsync(() => file.Acknowledged == lines.Count, () => $"10 lines acknowledged after hurrying; {file.Acknowledged} so far", TimeSpan.FromSeconds(30));
        Assert.Equal(new[] { (0L, 10) }, file.Acks);
        Assert.Equal(lines, (await rig.ReadAsync()).Select(Text));
    }

    [Fact]
    public async Task Runs_that_fail_are_sent_again_whole_and_acknowledged_once()
    {
        // The stream does not exist yet: every run expires, and the sink sends it again until it is there.
        await using var rig = SinkRig.Start(_aws, LocalAws.UniqueName("agent-later"), PartitionKeySelector.Random(), o => o.RecordTtl = TimeSpan.FromSeconds(1));
        var file = new RecordingFile("/var/log/app/retried.log");
        var lines = Numbered(0, 2_000).ToList();
        await rig.WriteInCallsAsync(file, lines, [700, 1_300]);
        await Eventually.HoldsAsync(() => rig.Counters.SendErrors > 0, "the runs to fail while the stream is missing", Deadline);
        Assert.Equal(0, file.Acknowledged);

        await rig.CreateStreamAsync(shards: 1);
        await rig.SettleAsync(file, lines.Count);
        Assert.True(rig.Counters.SendErrors >= 2, $"A failed run counts its lines as errors; {rig.Counters.SendErrors} counted.");
        var acks = file.Acks;
        AssertEveryTicketAcknowledgedOnce(acks, lines.Count);
        Assert.Contains(acks, a => a.Count > 1);
        var read = await rig.ReadAsync();
        Assert.Equal(lines, read.Select(Text));
        AssertRunsTravelWhole(read, acks, r => NumberOf(Text(r)));
        Assert.Equal(lines.Count, rig.Counters.RecordsSent);
    }

    [Fact]
    public async Task Records_a_processing_option_skips_are_not_sent_but_acknowledged_and_counted()
    {
        var options = ConfigText.ParseFlow("\"dataProcessingOptions\": [ { \"optionName\": \"LOGTOJSON\", \"logFormat\": \"SYSLOG\" } ]").Flows[0].DataProcessingOptions;
        await using var rig = await SinkRig.StartAsync(_aws, shards: 1, PartitionKeySelector.File(), chain: ProcessingChain.Create(options, TimeProvider.System));
        var file = new RecordingFile("/var/log/app/syslog.log");
        var lines = Enumerable.Range(0, 3_000).Select(i => i % 3 == 1 ? $"not syslog {i}" : $"Mar 12 12:01:02 host app[{i + 1}]: message {i}").ToList();
        await rig.WriteInCallsAsync(file, lines, [1_000, 1, 1_999]);
        await rig.SettleAsync(file, lines.Count);

        // Every ticket is acknowledged, skipped ones included, so the checkpoint passes them.
        AssertEveryTicketAcknowledgedOnce(file.Acks, lines.Count);
        Assert.Equal(1_000, rig.Counters.RecordsSkipped);
        Assert.Equal(2_000, rig.Counters.RecordsSent);
        Assert.Equal(0, rig.Counters.ProcessingErrors);
        var read = (await rig.ReadAsync()).Select(Text).ToList();
        var expected = Enumerable.Range(0, 3_000).Where(i => i % 3 != 1)
            .Select(i => $"{{\"timestamp\":\"Mar 12 12:01:02\",\"hostname\":\"host\",\"program\":\"app\",\"processid\":\"{i + 1}\",\"message\":\"message {i}\"}}\n");
        Assert.Equal(expected, read);
    }

    private static PartitionKeySelector Keys(string option) => option switch
    {
        "RANDOM" => PartitionKeySelector.Random(),
        "DETERMINISTIC" => PartitionKeySelector.Deterministic(),
        "FILE" => PartitionKeySelector.File(),
        _ => throw new ArgumentOutOfRangeException(nameof(option), option, null),
    };

    private static string NumberedLine(int number, int padding) =>
        $"line {number:D5} " + new string((char)('a' + (number % 26)), padding);

    private static IEnumerable<string> Numbered(int from, int count) =>
        Enumerable.Range(from, count).Select(i => NumberedLine(i, i % 37));

    private static int NumberOf(string line) => int.Parse(line.AsSpan(5, 5), CultureInfo.InvariantCulture);

    private static IEnumerable<string> Repeat(string line, int count) => Enumerable.Repeat(line, count);

    private static string Text(StreamRecord record) => Encoding.UTF8.GetString(record.Data.Span);

    [SuppressMessage("Security", "CA5351", Justification = "DETERMINISTIC keys are the MD5 of the data; a spreading hash, not security.")]
    private static string Md5Hex(string line) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(line)));

    /// <summary>The runs one call's lines make with a key per record: maximal stretches of equal lines, cut at the run limit.</summary>
    private static IEnumerable<(long Ticket, int Count)> EqualRuns(List<string> lines, long firstTicket)
    {
        var start = 0;
        for (var i = 1; i <= lines.Count; i++)
        {
            if (i == lines.Count || lines[i] != lines[start] || i - start == FlowSink.MaxRunRecords)
            {
                yield return (firstTicket + start, i - start);
                start = i;
            }
        }
    }

    private static void AssertEveryTicketAcknowledgedOnce(IReadOnlyList<(long Ticket, int Count)> acks, int total)
    {
        var times = new int[total];
        foreach (var (ticket, count) in acks)
        {
            Assert.InRange(count, 1, FlowSink.MaxRunRecords);
            Assert.InRange(ticket, 0, total - count);
            for (var t = ticket; t < ticket + count; t++)
            {
                times[t]++;
            }
        }

        var wrong = Enumerable.Range(0, total).Where(t => times[t] != 1).Take(10).Select(t => $"{t}: {times[t]} times").ToList();
        Assert.True(wrong.Count == 0, $"Tickets not acknowledged exactly once: {string.Join(", ", wrong)}");
    }

    /// <summary>Every run is in one Kinesis record: its lines consecutive, in order, under one partition key.</summary>
    private static void AssertRunsTravelWhole(List<StreamRecord> read, IReadOnlyList<(long Ticket, int Count)> acks, Func<StreamRecord, int> ticketOf)
    {
        var index = new Dictionary<int, int>();
        for (var i = 0; i < read.Count; i++)
        {
            index.Add(ticketOf(read[i]), i);
        }

        foreach (var (ticket, count) in acks)
        {
            var start = index[(int)ticket];
            var head = read[start];
            Assert.True(start + count <= read.Count, $"The run from ticket {ticket} is cut short.");
            for (var j = 1; j < count; j++)
            {
                var record = read[start + j];
                var where = $"record {j} of the run of {count} from ticket {ticket}";
                Assert.True(ticketOf(record) == ticket + j, $"{where} is line {ticketOf(record)}.");
                Assert.True((record.ShardId, record.SequenceNumber) == (head.ShardId, head.SequenceNumber), $"{where} is in another Kinesis record.");
                Assert.True(record.SubSequenceNumber == head.SubSequenceNumber + j, $"{where} is not next to the one before it.");
                Assert.True(record.PartitionKey == head.PartitionKey, $"{where} has another partition key.");
            }
        }
    }

    private static void AssertCounters(StreamCounters counters, List<string> lines)
    {
        Assert.Equal(lines.Count, counters.RecordsParsed);
        Assert.Equal(lines.Count, counters.RecordsSent);
        Assert.Equal(lines.Sum(l => (long)Encoding.UTF8.GetByteCount(l)), counters.BytesSent);
        Assert.Equal(0, counters.ProcessingErrors);
    }
}
