using System.Buffers;
using System.Text;
using Kinesis.Clients.Agent.Processing;

namespace Kinesis.Clients.Agent.Tests.Processing;

public sealed class ChainTests
{
    [Fact]
    public void An_empty_chain_does_nothing_and_leaves_the_output_untouched()
    {
        var chain = ProcessingChain.Create([], Run.Clock);
        var output = new ArrayBufferWriter<byte>();
        output.Write("keep"u8);

        Assert.True(chain.IsEmpty);
        Assert.Equal(ProcessingOutcome.Unchanged, chain.Process("anything"u8, output));
        Assert.Equal("keep"u8.ToArray(), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Options_run_in_order_single_line_then_log_to_JSON_then_add_metadata()
    {
        var chain = Run.Chain("""
            [
                { "optionName": "SINGLELINE" },
                { "optionName": "LOGTOJSON", "logFormat": "SYSLOG" },
                { "optionName": "ADDMETADATA", "timestamp": "true", "metadata": { "host": "web-1" } }
            ]
            """);

        Assert.False(chain.IsEmpty);
        Assert.Equal(
            """{"ts":"2024-05-01T12:34:56.789Z","metadata":{"host":"web-1"},"data":"{\"timestamp\":\"Mar 12 12:01:02\",\"hostname\":\"server4\",\"program\":\"snort\",\"processid\":null,\"message\":\"Ports:21 23\"}"}""" + "\n",
            Run.Converted(chain, "  Mar 12 12:01:02 server4 snort: Ports:\n     21 23  \n"));
    }

    [Fact]
    public void A_step_that_filters_the_record_out_skips_it_and_leaves_the_output_empty()
    {
        var chain = Run.Chain("""
            [ { "optionName": "SINGLELINE" }, { "optionName": "LOGTOJSON", "logFormat": "SYSLOG" }, { "optionName": "ADDMETADATA" } ]
            """);
        var output = new ArrayBufferWriter<byte>();

        Assert.Equal(ProcessingOutcome.Skipped, chain.Process("not\nsyslog\n"u8, output));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void A_conversion_followed_by_an_unchanged_step_is_still_sent_converted()
    {
        var chain = Run.Chain("""[ { "optionName": "SINGLELINE" }, { "optionName": "SINGLELINE" } ]""");

        Assert.Equal("ab\n", Run.Converted(chain, "a\nb\n"));
    }

    [Fact]
    public void Steps_that_change_nothing_leave_the_record_unchanged()
    {
        // ADDEC2METADATA without an instance identity passes records as they are, as in the Java agent.
        var chain = Run.Chain("""[ { "optionName": "ADDEC2METADATA" }, { "optionName": "ADDEC2METADATA" } ]""");

        Assert.Equal((ProcessingOutcome.Unchanged, "{\"clean\":1}\n"), Run.Process(chain, "{\"clean\":1}\n"));
    }

    [Fact]
    public void The_output_buffer_is_cleared_before_each_record()
    {
        var chain = Run.Chain("""[ { "optionName": "CSVTOJSON", "customFieldNames": ["a"] } ]""");
        var output = new ArrayBufferWriter<byte>();

        chain.Process("first"u8, output);
        chain.Process("second"u8, output);

        Assert.Equal("{\"a\":\"second\"}\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void Consecutive_JSON_steps_feed_each_other()
    {
        var chain = Run.Chain("""
            [ { "optionName": "CSVTOJSON", "customFieldNames": ["a", "b"], "delimiter": ";" },
              { "optionName": "CSVTOJSON", "customFieldNames": ["left", "right"], "delimiter": ":" },
              { "optionName": "ADDMETADATA" } ]
            """);

        Assert.Equal("""{"metadata":null,"data":"{\"left\":\"{\\\"a\\\"\",\"right\":\"\\\"x\\\",\\\"b\\\"\"}"}""" + "\n", Run.Converted(chain, "x;y\n"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Many_threads_get_the_same_results_as_one()
    {
        var chain = Run.Chain("""
            [ { "optionName": "SINGLELINE" }, { "optionName": "LOGTOJSON", "logFormat": "COMMONAPACHELOG" },
              { "optionName": "ADDMETADATA", "metadata": { "k": [1, 2] }, "jsonFormat": "PRETTYPRINT" } ]
            """);
        var records = Enumerable.Range(0, 200)
            .Select(i => $"10.0.0.{i % 250} - user{i} [10/Oct/2000:13:55:36 -0700] \"GET /{new string('x', i * 37)} HTTP/1.0\" 200 {i}")
            .ToArray();
        var expected = records.Select(r => Run.Process(chain, r)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => records.Select(r => Run.Process(chain, r)).ToArray())));

        foreach (var result in results)
        {
            Assert.Equal(expected, result);
        }
    }

    [Fact]
    public void A_huge_record_passes_through_a_multi_step_chain()
    {
        var chain = Run.Chain("""[ { "optionName": "SINGLELINE" }, { "optionName": "ADDMETADATA" } ]""");
        var big = new string('a', 6 * 1024 * 1024);

        var sent = Run.Converted(chain, big + "\n");

        Assert.Equal("{\"metadata\":null,\"data\":\"" + big + "\"}\n", sent);
    }

    [Fact]
    public void A_warm_chain_without_regexes_allocates_nothing_per_record()
    {
        var chain = Run.Chain("""
            [ { "optionName": "SINGLELINE" }, { "optionName": "CSVTOJSON", "customFieldNames": ["a", "b", "c"], "delimiter": "\t" },
              { "optionName": "ADDMETADATA", "timestamp": true, "metadata": { "env": "prod", "n": [1, 2.5] } } ]
            """);
        var record = "  one\ttwo \n\tthree \u00e9\"  "u8.ToArray();
        var output = new ArrayBufferWriter<byte>();
        chain.Process(record, output);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            chain.Process(record, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void An_empty_chain_allocates_nothing()
    {
        var chain = ProcessingChain.Create([], Run.Clock);
        var output = new ArrayBufferWriter<byte>();
        chain.Process("x"u8, output);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            chain.Process("x"u8, output);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
