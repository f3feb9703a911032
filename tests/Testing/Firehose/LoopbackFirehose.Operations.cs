using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Kinesis.Clients.Testing;

public sealed partial class LoopbackFirehose
{
    private const int MaxRecordsPerBatch = 500;
    private const int MaxBatchBytes = 4 * 1024 * 1024;
    private const int MaxRecordBytes = 1000 * 1024;

    private (object? Reply, FirehoseError? Error) Create(JsonElement request)
    {
        if (Name(request) is not { } name)
        {
            return (null, MissingName());
        }

        if (request.TryGetProperty("DeliveryStreamType", out var type) && type.GetString() is { } t && t != "DirectPut")
        {
            return (null, new(HttpStatusCode.BadRequest, "InvalidArgumentException", $"The loopback Firehose serves only DirectPut delivery streams; got {t}."));
        }

        if (!CreateDeliveryStream(name))
        {
            return (null, new(HttpStatusCode.BadRequest, "ResourceInUseException", $"Firehose {name} under accountId 000000000000 already exists"));
        }

        return (new Dictionary<string, object?> { ["DeliveryStreamARN"] = ArnOf(name) }, null);
    }

    private (object? Reply, FirehoseError? Error) Describe(JsonElement request)
    {
        if (Name(request) is not { } name)
        {
            return (null, MissingName());
        }

        lock (_gate)
        {
            if (!_streams.TryGetValue(name, out var s))
            {
                return (null, NotFound(name));
            }

            return (new Dictionary<string, object?>
            {
                ["DeliveryStreamDescription"] = new Dictionary<string, object?>
                {
                    ["DeliveryStreamName"] = s.Name,
                    ["DeliveryStreamARN"] = s.Arn,
                    ["DeliveryStreamStatus"] = "ACTIVE",
                    ["DeliveryStreamType"] = "DirectPut",
                    ["VersionId"] = "1",
                    ["CreateTimestamp"] = s.CreatedAt.ToUnixTimeMilliseconds() / 1000.0,
                    ["Destinations"] = Array.Empty<object>(),
                    ["HasMoreDestinations"] = false,
                },
            }, null);
        }
    }

    private (object? Reply, FirehoseError? Error) Delete(JsonElement request)
    {
        if (Name(request) is not { } name)
        {
            return (null, MissingName());
        }

        return DeleteDeliveryStream(name) ? (new Dictionary<string, object?>(), null) : (null, NotFound(name));
    }

    private (object? Reply, FirehoseError? Error) PutRecord(JsonElement request)
    {
        if (Name(request) is not { } name)
        {
            return (null, MissingName());
        }

        if (!request.TryGetProperty("Record", out var record) || !TryData(record, out var data))
        {
            return (null, Validation("record.data", "Member must not be null"));
        }

        if (data.Length > MaxRecordBytes)
        {
            return (null, Validation("record.data", $"Member must have length less than or equal to {MaxRecordBytes}"));
        }

        lock (_gate)
        {
            if (!_streams.TryGetValue(name, out var s))
            {
                return (null, NotFound(name));
            }

            if (!s.TryTakeRequest() || !s.TryTakeRecord(data.Length))
            {
                s.ThrottledEntries++;
                return (null, SlowDown());
            }

            Accept(s, data);
            _waiters.Signal();
        }

        return (new Dictionary<string, object?> { ["RecordId"] = NextRecordId(), ["Encrypted"] = false }, null);
    }

    private (object? Reply, FirehoseError? Error) PutRecordBatch(JsonElement request, bool failEverySecond)
    {
        if (Name(request) is not { } name)
        {
            return (null, MissingName());
        }

        if (!request.TryGetProperty("Records", out var records) || records.ValueKind != JsonValueKind.Array || records.GetArrayLength() == 0)
        {
            return (null, Validation("records", "Member must have length greater than or equal to 1"));
        }

        if (records.GetArrayLength() > MaxRecordsPerBatch)
        {
            return (null, Validation("records", $"Member must have length less than or equal to {MaxRecordsPerBatch}"));
        }

        var datas = new List<byte[]>(records.GetArrayLength());
        long total = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (!TryData(record, out var data))
            {
                return (null, Validation($"records.{datas.Count + 1}.member.data", "Member must not be null"));
            }

            if (data.Length > MaxRecordBytes)
            {
                return (null, Validation($"records.{datas.Count + 1}.member.data", $"Member must have length less than or equal to {MaxRecordBytes}"));
            }

            total += data.Length;
            datas.Add(data);
        }

        if (total > MaxBatchBytes)
        {
            return (null, new(HttpStatusCode.BadRequest, "InvalidArgumentException",
                string.Create(CultureInfo.InvariantCulture, $"Records size exceeds 4 MB limit: {total} bytes.")));
        }

        var responses = new List<Dictionary<string, object?>>(datas.Count);
        var failed = 0;
        lock (_gate)
        {
            if (!_streams.TryGetValue(name, out var s))
            {
                return (null, NotFound(name));
            }

            var requestAdmitted = s.TryTakeRequest();
            for (var i = 0; i < datas.Count; i++)
            {
                string? code = null;
                string? message = null;
                if (failEverySecond && i % 2 == 0)
                {
                    (code, message) = ("InternalFailure", "Internal service failure.");
                }
                else if (!requestAdmitted || !s.TryTakeRecord(datas[i].Length))
                {
                    (code, message) = ("ServiceUnavailableException", "Slow down.");
                    s.ThrottledEntries++;
                }

                if (code is null)
                {
                    Accept(s, datas[i]);
                    responses.Add(new() { ["RecordId"] = NextRecordId() });
                }
                else
                {
                    failed++;
                    _rejections.Add(code);
                    responses.Add(new() { ["ErrorCode"] = code, ["ErrorMessage"] = message });
                }
            }

            _waiters.Signal();
        }

        return (new Dictionary<string, object?> { ["FailedPutCount"] = failed, ["Encrypted"] = false, ["RequestResponses"] = responses }, null);
    }

    private static string? Name(JsonElement request) =>
        request.ValueKind == JsonValueKind.Object && request.TryGetProperty("DeliveryStreamName", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    private static bool TryData(JsonElement record, out byte[] data)
    {
        data = [];
        if (record.ValueKind != JsonValueKind.Object || !record.TryGetProperty("Data", out var blob) || blob.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            data = blob.GetBytesFromBase64();
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static FirehoseError MissingName() => Validation("deliveryStreamName", "Member must not be null");

    private static FirehoseError Validation(string field, string constraint) =>
        new(HttpStatusCode.BadRequest, "ValidationException", $"1 validation error detected: Value at '{field}' failed to satisfy constraint: {constraint}");
}
