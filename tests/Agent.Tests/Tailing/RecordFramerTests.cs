using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Kinesis.Clients.Agent.Tailing;

namespace Kinesis.Clients.Agent.Tests.Tailing;

public sealed class RecordFramerTests
{
    [Fact]
    public void Lines_become_records_with_their_line_break_as_in_the_file_and_an_unfinished_line_waits()
    {
        var records = Frame(Options(), "one\ntwo\r\n\nthree", out var framer);
        Assert.Equal(["one\n", "two\r\n", "\n"], records.Select(r => r.Text));
        Assert.Equal([4L, 9, 10], records.Select(r => r.End));
        Assert.Equal(10, framer.SettledOffset);

        var batch = new RecordBatch();
        framer.FlushAll(batch);
        Assert.Equal("three", Encoding.UTF8.GetString(framer.Buffer, batch.Start(0), batch.Length(0)));
        Assert.Equal(15, batch.EndOffset(0));
    }

    [Fact]
    public void Header_lines_are_skipped_but_counted_in_offsets()
    {
        var records = Frame(Options() with { SkipHeaderLines = 2 }, "h1\nh2\na\nb\n", out _);
        Assert.Equal(["a\n", "b\n"], records.Select(r => r.Text));
        Assert.Equal([8L, 10], records.Select(r => r.End));
    }

    [Fact]
    public void Header_lines_are_not_skipped_when_reading_starts_past_offset_zero()
    {
        var options = Options() with { SkipHeaderLines = 2 };
        using var framer = new RecordFramer(options.Build(), 100);
        var records = Feed(framer, Encoding.UTF8.GetBytes("a\nb\n"), 1000);
        Assert.Equal(["a\n", "b\n"], records.Select(r => r.Text));
        Assert.Equal([102L, 104], records.Select(r => r.End));
    }

    [Fact]
    public void A_long_line_is_cut_with_the_terminator_and_the_rest_of_it_is_dropped()
    {
        var options = Options() with { MaxRecordBytes = 10, Terminator = "<cut>" };
        var line = new string('x', 50);
        var records = Frame(options, $"short\n{line}\nnext\n", out var framer, readSize: 7);
        Assert.Equal(["short\n", "xxxxx<cut>", "next\n"], records.Select(r => r.Text));
        Assert.Equal([6L, 57, 62], records.Select(r => r.End));
        Assert.Equal(1, framer.TruncatedRecords);
    }

    [Fact]
    public void Multi_line_records_start_at_matching_lines_and_the_last_one_waits_for_a_flush()
    {
        var options = Options() with { Start = new Regex(@"^\d") };
        var records = Frame(options, "1 error\n  at a\n  at b\n2 ok\n3 next\n  more\n", out var framer);
        Assert.Equal(["1 error\n  at a\n  at b\n", "2 ok\n"], records.Select(r => r.Text));
        Assert.True(framer.HasPendingGroup);

        var batch = new RecordBatch();
        framer.FlushGroup(batch);
        Assert.Equal("3 next\n  more\n", Encoding.UTF8.GetString(framer.Buffer, batch.Start(0), batch.Length(0)));
        Assert.Equal(41, batch.EndOffset(0));
        Assert.False(framer.HasPendingGroup);
    }

    [Fact]
    public void Lines_before_the_first_start_line_form_a_record_of_their_own()
    {
        var options = Options() with { Start = new Regex(@"^\d") };
        var records = Frame(options, "  orphan\n  orphan2\n1 first\n2 second\n", out _);
        Assert.Equal(["  orphan\n  orphan2\n", "1 first\n"], records.Select(r => r.Text));
    }

    [Fact]
    public void The_recent_bytes_window_holds_the_last_bytes_read_across_wraps()
    {
        using var framer = new RecordFramer(Options().Build(), 1000);
        var content = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray();
        Feed(framer, content, 4000);
        var window = framer.RecentBytes(out var start);
        Assert.Equal(1000 + content.Length - window.Length, start);
        Assert.Equal(content[^window.Length..], window);
        Assert.Equal(32 * 1024, window.Length);

        framer.Reset(0);
        Assert.Empty(framer.RecentBytes(out _));
    }

    [Fact]
    public void An_idle_framer_gives_its_buffer_back_unless_a_line_is_pending()
    {
        using var framer = new RecordFramer(Options().Build(), 0);
        Feed(framer, Encoding.UTF8.GetBytes("done\npart"), 100);
        framer.ReleaseBufferIfEmpty();
        Assert.NotEmpty(framer.Buffer);

        var records = Feed(framer, Encoding.UTF8.GetBytes("ial\n"), 100);
        Assert.Equal(["partial\n"], records.Select(r => r.Text));
        framer.ReleaseBufferIfEmpty();
        Assert.Empty(framer.Buffer);
        Assert.Equal(["again\n"], Feed(framer, Encoding.UTF8.GetBytes("again\n"), 100).Select(r => r.Text));
    }

    [Fact]
    public void Framing_matches_the_model_for_any_content_and_read_sizes()
    {
        var lines = Gen.Char["ab1 \r"].Array[0, 40].Select(chars => new string(chars));
        var gen = Gen.Select(
            lines.Array[0, 30],
            Gen.Bool,
            Gen.Int[6, 30],
            Gen.OneOfConst("", "\n", "..."),
            Gen.Int[0, 2],
            Gen.Bool,
            Gen.Int[1, 50],
            Gen.Int[8, 64]);
        SeededCheck.ForAll(gen, c =>
        {
            var (parts, endsWithNewline, max, terminator, headers, multiLine, readSize, bufferSize) = c;
            var content = Encoding.UTF8.GetBytes(string.Join('\n', parts) + (endsWithNewline ? "\n" : ""));
            var start = multiLine ? new Regex("^1") : null;
            var options = new TestOptions(max, terminator, headers, start, bufferSize).Build();
            using var framer = new RecordFramer(options, 0);

            var records = Feed(framer, content, readSize);
            var expected = FramerModel.Records(content, max, Encoding.UTF8.GetBytes(terminator), headers, start, final: false);
            Assert.Equal(expected.Select(e => (Encoding.UTF8.GetString(e.Bytes), e.End)), records.Select(r => (r.Text, r.End)));

            var batch = new RecordBatch();
            framer.FlushAll(batch);
            records.AddRange(Collect(framer, batch));
            var final = FramerModel.Records(content, max, Encoding.UTF8.GetBytes(terminator), headers, start, final: true);
            Assert.Equal(final.Select(e => (Encoding.UTF8.GetString(e.Bytes), e.End)), records.Select(r => (r.Text, r.End)));
        }, stream: 7);
    }

    [Fact]
    public void The_footer_line_and_everything_after_it_are_passed_over_but_settled()
    {
        var options = Options() with { Footer = JavaFooter("END OF LOG") };
        var records = Frame(options, "a\nb\n  END OF LOG \r\nc\nd", out var framer, readSize: 3);
        Assert.Equal(["a\n", "b\n"], records.Select(r => r.Text));
        Assert.True(framer.FooterReached);
        Assert.Equal(framer.ReadPosition, framer.SettledOffset);

        var more = Feed(framer, Encoding.UTF8.GetBytes("e\nf\n"), 2);
        var batch = new RecordBatch();
        framer.FlushAll(batch);
        Assert.Empty(more);
        Assert.Equal(0, batch.Count);
        Assert.Equal(framer.ReadPosition, framer.SettledOffset);
    }

    [Fact]
    public void The_footer_must_match_the_whole_trimmed_record()
    {
        var options = Options() with { Footer = JavaFooter("END") };
        var records = Frame(options, "the END\nEND of it\nEND\nafter\n", out var framer);
        Assert.Equal(["the END\n", "END of it\n"], records.Select(r => r.Text));
        Assert.True(framer.FooterReached);
    }

    [Fact]
    public void A_multi_line_record_is_the_footer_only_as_a_whole()
    {
        var options = Options() with { Start = new Regex(@"^\d"), Footer = JavaFooter(@"\d END") };
        var records = Frame(options, "1 a\n  b\n2 END\n3 after\n", out var framer);
        Assert.Equal(["1 a\n  b\n"], records.Select(r => r.Text));
        Assert.True(framer.FooterReached);
        Assert.False(framer.HasPendingGroup);
    }

    [Fact]
    public void Starting_over_forgets_the_footer()
    {
        using var framer = new RecordFramer((Options() with { Footer = JavaFooter("END") }).Build(), 0);
        Feed(framer, Encoding.UTF8.GetBytes("END\nlost\n"), 100);
        Assert.True(framer.FooterReached);
        framer.Reset(0);
        Assert.False(framer.FooterReached);
        Assert.Equal(["new\n"], Feed(framer, Encoding.UTF8.GetBytes("new\n"), 100).Select(r => r.Text));
    }

    private static Regex JavaFooter(string pattern) => Kinesis.Clients.Agent.Configuration.JavaRegex.Compile(pattern, Kinesis.Clients.Agent.Configuration.JavaRegexAnchor.Full);

    private static TestOptions Options() => new(1000, "\n", 0, null, 4096);

    private static List<(string Text, long End)> Frame(TestOptions options, string content, out RecordFramer framer, int readSize = 5)
    {
        framer = new RecordFramer(options.Build(), 0);
        return Feed(framer, Encoding.UTF8.GetBytes(content), readSize);
    }

    private static List<(string Text, long End)> Feed(RecordFramer framer, byte[] content, int readSize)
    {
        var batch = new RecordBatch();
        var records = new List<(string, long)>();
        var position = 0;
        while (position < content.Length)
        {
            var space = framer.PrepareRead();
            var count = Math.Min(Math.Min(space.Length, readSize), content.Length - position);
            content.AsSpan(position, count).CopyTo(space.Span);
            framer.Advance(count);
            position += count;
            framer.Frame(batch);
            records.AddRange(Collect(framer, batch));
        }

        return records;
    }

    private static List<(string, long)> Collect(RecordFramer framer, RecordBatch batch)
    {
        var records = new List<(string, long)>();
        for (var i = 0; i < batch.Count; i++)
        {
            records.Add((Encoding.UTF8.GetString(framer.Buffer, batch.Start(i), batch.Length(i)), batch.EndOffset(i)));
        }

        batch.Clear();
        return records;
    }

    private sealed record TestOptions(int MaxRecordBytes, string Terminator, int SkipHeaderLines, Regex? Start, int ReadBufferBytes)
    {
        public Regex? Footer { get; init; }

        public TailingOptions Build() => new()
        {
            FileFooterPattern = Footer,
            FlowId = "f",
            FilePattern = "/x",
            MaxRecordBytes = MaxRecordBytes,
            TruncatedRecordTerminator = Terminator,
            SkipHeaderLines = SkipHeaderLines,
            MultiLineStartPattern = Start,
            ReadBufferBytes = ReadBufferBytes,
        };
    }
}
