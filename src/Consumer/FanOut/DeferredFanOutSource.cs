using System.Runtime.CompilerServices;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>
/// A shard read through enhanced fan-out whose stream consumer is known only once registered: the worker makes
/// sources synchronously, the registration is a call (and a wait for <c>ACTIVE</c>), so it happens in the read.
/// </summary>
internal sealed class DeferredFanOutSource : IShardRecordSource
{
    private readonly Func<CancellationToken, Task<string>> _consumerArn;
    private readonly Func<string, FanOutRecordSource> _open;
    private FanOutRecordSource? _source;

    public DeferredFanOutSource(
        Func<CancellationToken, Task<string>> consumerArn,
        FanOutSubscriber client,
        string shardId,
        HashKeyRange? range,
        StartingPosition start,
        RecordDecryptionSource? decryption,
        ILogger? logger)
    {
        _consumerArn = consumerArn;
        _open = arn => new FanOutRecordSource(client, arn, shardId, range, start, logger) { Decryption = decryption };
    }

    public async IAsyncEnumerable<ShardBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var arn = await _consumerArn(cancellationToken).ConfigureAwait(false);
        _source = _open(arn);
        await foreach (var batch in _source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return batch;
        }
    }

    public ValueTask DisposeAsync() => _source?.DisposeAsync() ?? ValueTask.CompletedTask;
}
