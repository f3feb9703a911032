using System.Text;
using Kinesis.Clients.Agent.Processing;
using Kinesis.Clients.Agent.Shipping;
using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Producer;
using Kinesis.Clients.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kinesis.Clients.Agent.Tests.Shipping;

/// <summary>A stream, a producer pointed at the local engine, and a flow sink over them.</summary>
internal sealed class SinkRig : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly LocalAws _aws;
    private readonly KinesisClient _client;
    private readonly KinesisProducer _producer;
    private TestStream? _stream;

    private SinkRig(LocalAws aws, KinesisClient client, string stream, KinesisProducer producer, FlowSink sink)
    {
        _aws = aws;
        _client = client;
        Stream = stream;
        _producer = producer;
        Sink = sink;
    }

    public string Stream { get; }

    public FlowSink Sink { get; }

    public StreamCounters Counters => Sink.Counters;

    public static async Task<SinkRig> StartAsync(LocalAws aws, int shards, PartitionKeySelector keys, Action<KinesisProducerOptions>? configure = null, ProcessingChain? chain = null)
    {
        var rig = Start(aws, LocalAws.UniqueName("agent-sink"), keys, configure, chain);
        await rig.CreateStreamAsync(shards);
        return rig;
    }

    /// <summary>A rig whose stream is not created yet (see <see cref="CreateStreamAsync"/>).</summary>
    public static SinkRig Start(LocalAws aws, string stream, PartitionKeySelector keys, Action<KinesisProducerOptions>? configure = null, ProcessingChain? chain = null)
    {
        var client = new KinesisClient(new KinesisClientOptions { ServiceUrl = aws.KinesisEndpoint, Region = aws.Region, Credentials = aws.Credentials });
        var options = new KinesisProducerOptions
        {
            KinesisEndpoint = aws.KinesisEndpoint,
            Region = aws.Region,
            Credentials = aws.Credentials,
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,

            // As the agent sets it: a file's lines keep their order on a shard through retries.
            PreserveShardOrder = true,
        };
        configure?.Invoke(options);
        var producer = new KinesisProducer(options);
        var sink = new FlowSink(
            producer, stream, chain, keys, new StreamCounters(stream), maxRecordBytes: 1024 * 1024 - 1024, TimeProvider.System, NullLogger.Instance);
        return new SinkRig(aws, client, stream, producer, sink);
    }

    public async Task CreateStreamAsync(int shards)
    {
        _stream = await _aws.NewStreamNamedAsync(Stream, shards, through: _client).WaitAsync(Deadline);
    }

    /// <summary>Writes the lines in calls of the given sizes, as a reader passes what each read framed.</summary>
    public async Task WriteInCallsAsync(RecordingFile file, List<string> lines, int[] callSizes)
    {
        Assert.Equal(lines.Count, callSizes.Sum());
        var done = 0;
        foreach (var size in callSizes)
        {
            // The lines as the file holds them, each with its '\n'; the records here are the text alone (the sink
            // ships whatever bytes it is given, so the tests compare lines).
            var batch = new RecordBatch();
            var buffer = new List<byte>();
            foreach (var line in lines.Skip(done).Take(size))
            {
                var start = buffer.Count;
                buffer.AddRange(Encoding.UTF8.GetBytes(line));
                var length = buffer.Count - start;
                buffer.Add((byte)'\n');
                file.Offset += length + 1;
                batch.Add(start, length, file.Offset);
            }

            await Sink.WriteAsync(new FramedRecords([.. buffer], batch, 0, batch.Count), file, file.NextTicket, CancellationToken.None).AsTask().WaitAsync(Deadline);
            file.NextTicket += size;
            done += size;
        }
    }

    /// <summary>Flushes the stream and waits until <paramref name="lines"/> lines of the file are acknowledged.</summary>
    public async Task SettleAsync(RecordingFile file, int lines)
    {
        await Eventually.HoldsAsync(
            async () =>
            {
                await _producer.FlushAsync(Stream).WaitAsync(Deadline);
                return file.Acknowledged >= lines;
            },
            () => $"{lines} lines acknowledged: {file.Acknowledged} so far, {_producer.OutstandingRecords} outstanding, {Counters.SendErrors} send errors",
            Deadline);
        Assert.Equal(lines, file.Acknowledged);
    }

    public Task<List<StreamRecord>> ReadAsync() => StreamContents.ReadAllAsync(_client, Stream).WaitAsync(Deadline);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Sink.DisposeAsync();
            await _producer.DisposeAsync();
            _client.Dispose();
        }
        finally
        {
            if (_stream is not null)
            {
                await _stream.DisposeAsync();
            }
        }
    }
}
