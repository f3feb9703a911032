using System.Globalization;
using Kinesis.Clients.Auth;
using Kinesis.Clients.Endpoints;
using Kinesis.Clients.Http;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Firehose;

/// <summary>
/// A lean Amazon Data Firehose client for Direct PUT: PutRecordBatch, PutRecord and DescribeDeliveryStream, in
/// JSON 1.1 (Firehose speaks no CBOR), signed with SigV4 (service <c>firehose</c>) through AWSSDK.Core.
/// Thread-safe; create one per endpoint and share it.
/// </summary>
/// <remarks>
/// Failures surface as <see cref="AwsServiceException"/> (or a subtype such as <see cref="ResourceNotFoundException"/>),
/// with Firehose's <c>ServiceUnavailableException</c> marked as throttling; bad arguments are rejected with an
/// <see cref="ArgumentException"/> before any request is sent. The client does not retry.
/// </remarks>
public sealed class FirehoseClient : IDisposable
{
    internal const string ServiceName = "Firehose";
    internal const string SigningName = "firehose";
    internal const string TargetPrefix = "Firehose_20150804";

    private readonly AwsRpcTransport _transport;

    /// <summary>Builds a client; throws <see cref="ArgumentException"/> naming any invalid option.</summary>
    public FirehoseClient(FirehoseClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Region = AwsRegionResolver.Resolve(options.Region);
        Endpoint = AwsEndpointResolver.Resolve("FIREHOSE", SigningName, options.ServiceUrl, Region, optionName: nameof(options.ServiceUrl));
        var credentials = AwsCredentialsResolver.Resolve(options.Credentials);
        var signer = new SigV4Signer(credentials, Region, SigningName, options.TimeProvider);

        var http = options.HttpHandler is not null
            ? new HttpClient(options.HttpHandler, disposeHandler: false)
            : new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = options.MaxConnections,
                // Recycle connections so DNS changes of the regional endpoint are seen.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
                ConnectTimeout = options.ConnectTimeout,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
            });
        http.Timeout = Timeout.InfiniteTimeSpan;
        _transport = new AwsRpcTransport(
            ServiceName, TargetPrefix, Endpoint, signer, WireProtocol.Json, options.RequestTimeout, http, ownsHttp: true, options.TimeProvider);
    }

    /// <summary>The options the client was built with.</summary>
    public FirehoseClientOptions Options { get; }

    /// <summary>The region requests are signed for.</summary>
    public string Region { get; }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// Puts up to 500 records (4 MiB, each at most 1,000 KiB) in one call. The call succeeds even when some entries
    /// fail: check <see cref="PutRecordBatchResponse.FailedPutCount"/> and each entry's result.
    /// </summary>
    /// <param name="deliveryStreamName">The delivery stream.</param>
    /// <param name="records">1 to 500 records' data.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">A limit is broken; the message names it and the sizes.</exception>
    public async Task<PutRecordBatchResponse> PutRecordBatchAsync(
        string deliveryStreamName,
        IReadOnlyList<ReadOnlyMemory<byte>> records,
        CancellationToken cancellationToken = default)
    {
        FirehoseLimits.ValidateDeliveryStreamName(deliveryStreamName, nameof(deliveryStreamName));
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count is 0 or > FirehoseLimits.MaxRecordsPerBatch)
        {
            throw new ArgumentException(
                $"PutRecordBatch takes 1 to {FirehoseLimits.MaxRecordsPerBatch} records; got {records.Count}.", nameof(records));
        }

        long total = 0;
        for (var i = 0; i < records.Count; i++)
        {
            FirehoseLimits.ValidateRecordSize(records[i].Length, $"records[{i}]");
            total += records[i].Length;
        }

        if (total > FirehoseLimits.MaxBatchBytes)
        {
            throw new ArgumentException(
                $"PutRecordBatch takes at most {FirehoseLimits.MaxBatchBytes} bytes (4 MiB) of data; got {total} in {records.Count} records.",
                nameof(records));
        }

        return await _transport.SendAsync(
            "PutRecordBatch",
            (deliveryStreamName, records),
            static (w, s) => WriteBatch(w, s.deliveryStreamName, s.records),
            reply => FirehoseReplies.PutRecordBatch(reply, records.Count),
            string.Create(CultureInfo.InvariantCulture, $"delivery stream {deliveryStreamName}, {records.Count} records, {total} bytes"),
            cancellationToken,
            sizeHint: (int)Math.Min(int.MaxValue, (total * 4 / 3) + (records.Count * 16) + 256)).ConfigureAwait(false);
    }

    /// <summary>Puts one record (at most 1,000 KiB).</summary>
    /// <param name="deliveryStreamName">The delivery stream.</param>
    /// <param name="data">The record's data.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The name is invalid or the record too large.</exception>
    public async Task<PutRecordResponse> PutRecordAsync(string deliveryStreamName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        FirehoseLimits.ValidateDeliveryStreamName(deliveryStreamName, nameof(deliveryStreamName));
        FirehoseLimits.ValidateRecordSize(data.Length, nameof(data));
        return await _transport.SendAsync(
            "PutRecord",
            (deliveryStreamName, data),
            static (w, s) =>
            {
                w.WriteStartObject(2);
                w.WritePropertyName("DeliveryStreamName");
                w.WriteString(s.deliveryStreamName);
                w.WritePropertyName("Record");
                WriteRecord(w, s.data.Span);
                w.WriteEndObject();
            },
            reply => new PutRecordResponse(reply.RequiredString("RecordId"), reply["Encrypted"].AsBoolean()),
            $"delivery stream {deliveryStreamName}, {data.Length} bytes",
            cancellationToken,
            sizeHint: (data.Length * 4 / 3) + 256).ConfigureAwait(false);
    }

    /// <summary>Describes a delivery stream: its ARN, status and source type.</summary>
    /// <param name="deliveryStreamName">The delivery stream.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ResourceNotFoundException">No such delivery stream.</exception>
    public async Task<DeliveryStreamDescription> DescribeDeliveryStreamAsync(string deliveryStreamName, CancellationToken cancellationToken = default)
    {
        FirehoseLimits.ValidateDeliveryStreamName(deliveryStreamName, nameof(deliveryStreamName));
        return await _transport.SendAsync(
            "DescribeDeliveryStream",
            deliveryStreamName,
            static (w, name) =>
            {
                w.WriteStartObject(1);
                w.WritePropertyName("DeliveryStreamName");
                w.WriteString(name);
                w.WriteEndObject();
            },
            FirehoseReplies.Description,
            "delivery stream " + deliveryStreamName,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the client's connections (not a handler passed in the options).</summary>
    public void Dispose() => _transport.Dispose();

    private static void WriteBatch(IWireWriter w, string deliveryStreamName, IReadOnlyList<ReadOnlyMemory<byte>> records)
    {
        w.WriteStartObject(2);
        w.WritePropertyName("DeliveryStreamName");
        w.WriteString(deliveryStreamName);
        w.WritePropertyName("Records");
        w.WriteStartArray(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            WriteRecord(w, records[i].Span);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteRecord(IWireWriter w, ReadOnlySpan<byte> data)
    {
        w.WriteStartObject(1);
        w.WritePropertyName("Data");
        w.WriteBlob(data);
        w.WriteEndObject();
    }
}
