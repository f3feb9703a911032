using Kinesis.Clients.Agent.Processing;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Agent.Tests.Processing;

public sealed class AddMetadataTests
{
    [Fact]
    public void Metadata_and_data_are_written_in_the_Java_agent_order()
    {
        var chain = Run.Chain("""[ { "optionName": "ADDMETADATA", "metadata": { "key": "value", "foo": { "bar": "baz" } } } ]""");

        Assert.Equal("""{"metadata":{"key":"value","foo":{"bar":"baz"}},"data":"this is my raw data that I want to send"}""",
            Run.ConvertedLine(chain, "this is my raw data that I want to send"));
    }

    [Fact]
    public void The_timestamp_comes_first_in_UTC_with_milliseconds_from_the_injected_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 5, 1, 14, 34, 56, 789, TimeSpan.FromHours(2)));
        var chain = Run.Chain("""[ { "optionName": "ADDMETADATA", "timestamp": "true", "metadata": {} } ]""", clock);

        Assert.Equal("""{"ts":"2024-05-01T12:34:56.789Z","metadata":{},"data":"x"}""", Run.ConvertedLine(chain, "x"));
        clock.Advance(TimeSpan.FromMilliseconds(1.9));
        Assert.Equal("""{"ts":"2024-05-01T12:34:56.790Z","metadata":{},"data":"x"}""", Run.ConvertedLine(chain, "x"));
    }

    [Fact]
    public void Absent_metadata_is_written_as_null()
    {
        Assert.Equal("""{"metadata":null,"data":""}""", Run.ConvertedLine(Run.Chain("""[ { "optionName": "ADDMETADATA" } ]"""), ""));
    }

    [Fact]
    public void Metadata_numbers_are_written_as_Jackson_writes_what_it_read()
    {
        var chain = Run.Chain("""
            [ { "optionName": "ADDMETADATA", "metadata": { "i": 42, "neg0": -0, "big": 123456789012345678901234567890,
                "f": 1.50, "e": 1e3, "small": 0.0001, "large": 12345678.9, "arr": [true, null, "a\u00e9"], "dup": 1, "dup": 2 } } ]
            """);

        Assert.Equal(
            """{"metadata":{"i":42,"neg0":0,"big":123456789012345678901234567890,"f":1.5,"e":1000.0,"small":1.0E-4,"large":1.23456789E7,"arr":[true,null,"aé"],"dup":2},"data":"d"}""",
            Run.ConvertedLine(chain, "d"));
    }

    [Fact]
    public void The_data_is_escaped_like_any_JSON_string()
    {
        var chain = Run.Chain("""[ { "optionName": "ADDMETADATA", "metadata": "m" } ]""");

        Assert.Equal("{\"metadata\":\"m\",\"data\":\"a\\\"b\\\\c\\nd\"}", Run.ConvertedLine(chain, "a\"b\\c\nd"));
    }

    [Fact]
    public void PRETTYPRINT_nests_objects_and_keeps_arrays_on_one_line()
    {
        var chain = Run.Chain("""[ { "optionName": "ADDMETADATA", "metadata": { "tags": ["a", { "b": 1 }], "empty": {}, "none": [] }, "jsonFormat": "PRETTYPRINT" } ]""");

        Assert.Equal(
            "{\n  \"metadata\" : {\n    \"tags\" : [ \"a\", {\n      \"b\" : 1\n    } ],\n    \"empty\" : { },\n    \"none\" : [ ]\n  },\n  \"data\" : \"x\"\n}",
            Run.ConvertedLine(chain, "x"));
    }
}
