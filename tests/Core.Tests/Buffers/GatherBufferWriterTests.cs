using System.Net.Http.Headers;
using Amazon.Runtime;
using CsCheck;
using Kinesis.Clients.Auth;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Http;
using Kinesis.Clients.Tests.Records;
using Kinesis.Clients.Wire;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Tests.Buffers;

/// <summary>
/// A PutRecords body whose large blobs are sent from where they lie is the same bytes, signed the same, as the body
/// written in one piece: only where the bytes live changes.
/// </summary>
public sealed class GatherBufferWriterTests
{
    [Fact]
    public void A_PutRecords_body_gathered_around_its_data_is_the_body_written_in_one_piece()
    {
        var sizes = Gen.OneOf(Gen.Int[0, 200], Gen.Int[GatherBufferWriter.MinBorrowLength - 2, GatherBufferWriter.MinBorrowLength + 2], Gen.Int[4000, 70_000]);
        SeededCheck.ForAll(sizes.Array[1, 40], lengths =>
        {
            var random = new Random(lengths.Length);
            var entries = lengths.Select((length, i) =>
            {
                var data = new byte[length];
                random.NextBytes(data);
                return new PutRecordsEntry($"key-{i}", data, i % 3 == 0 ? $"{i}0000" : null);
            }).ToList();

            using var whole = new PooledBufferWriter(16);
            KinesisRequestWriters.PutRecords(new CborBufferWriter(whole), "stream", null, entries);
            using var gathered = new GatherBufferWriter(16);
            KinesisRequestWriters.PutRecords(new CborBufferWriter(gathered), "stream", null, entries);
            var segments = gathered.Segments();

            Assert.Equal(whole.WrittenSpan.ToArray(), segments.SelectMany(s => s.ToArray()).ToArray());
            Assert.Equal(whole.WrittenCount, gathered.Length);
            var borrowed = entries.Count(e => e.Data.Length >= GatherBufferWriter.MinBorrowLength);
            Assert.Equal(borrowed, segments.Count(s => entries.Any(e => e.Data.Length >= GatherBufferWriter.MinBorrowLength && s.Equals(e.Data))));
        });
    }

    [Fact(Timeout = 10_000)]
    public async Task Gathered_content_sends_and_signs_the_bytes_the_whole_body_would()
    {
        var body = new byte[20_000];
        new Random(5).NextBytes(body);
        ReadOnlyMemory<byte>[] segments = [body.AsMemory(0, 7), body.AsMemory(7, 12_000), body.AsMemory(12_007)];
        var signer = new SigV4Signer(
            new BasicAWSCredentials("AKIDEXAMPLE", "secret"), "us-east-1", "kinesis",
            new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)));
        using var gatheredRequest = Request(new GatheredContent(segments));
        using var wholeRequest = Request(new ByteArrayContent(body));

        await signer.SignSegmentsAsync(gatheredRequest, segments, CancellationToken.None);
        await signer.SignAsync(wholeRequest, body, CancellationToken.None);

        Assert.Equal(Authorization(wholeRequest), Authorization(gatheredRequest));
        Assert.StartsWith("AWS4-HMAC-SHA256 ", Authorization(gatheredRequest), StringComparison.Ordinal);
        Assert.Equal(body.Length, gatheredRequest.Content!.Headers.ContentLength);
        Assert.Equal(body, await gatheredRequest.Content.ReadAsByteArrayAsync());
        Assert.Equal(body, await gatheredRequest.Content.ReadAsByteArrayAsync());
    }

    private static string Authorization(HttpRequestMessage request) => request.Headers.NonValidated["Authorization"].ToString();

    private static HttpRequestMessage Request(HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-cbor-1.1");
        return new HttpRequestMessage(HttpMethod.Post, "https://kinesis.us-east-1.amazonaws.com/") { Content = content };
    }
}
