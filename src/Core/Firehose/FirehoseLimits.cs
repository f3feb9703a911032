namespace Kinesis.Clients.Firehose;

/// <summary>The Amazon Data Firehose API's limits on Direct PUT, checked before anything is sent.</summary>
public static class FirehoseLimits
{
    /// <summary>The most records one PutRecordBatch call may carry.</summary>
    public const int MaxRecordsPerBatch = 500;

    /// <summary>The most data bytes one PutRecordBatch call may carry: 4 MiB.</summary>
    public const int MaxBatchBytes = 4 * 1024 * 1024;

    /// <summary>The largest record, before base64 encoding: 1,000 KiB.</summary>
    public const int MaxRecordBytes = 1000 * 1024;

    /// <summary>The most characters a delivery stream name may have.</summary>
    public const int MaxDeliveryStreamNameLength = 64;

    /// <summary>
    /// Checks a delivery stream name: 1 to 64 characters of letters, digits, <c>_</c>, <c>.</c> and <c>-</c>.
    /// </summary>
    /// <param name="deliveryStreamName">The name.</param>
    /// <param name="paramName">The argument name reported.</param>
    /// <exception cref="ArgumentException">The name breaks the rule; the message says how.</exception>
    public static void ValidateDeliveryStreamName(string deliveryStreamName, string paramName = "deliveryStreamName")
    {
        ArgumentNullException.ThrowIfNull(deliveryStreamName, paramName);
        if (deliveryStreamName.Length is 0 or > MaxDeliveryStreamNameLength)
        {
            throw new ArgumentException(
                $"A delivery stream name has 1 to {MaxDeliveryStreamNameLength} characters; got {deliveryStreamName.Length}.", paramName);
        }

        foreach (var c in deliveryStreamName)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                throw new ArgumentException(
                    $"A delivery stream name has only letters, digits, '_', '.' and '-'; '{deliveryStreamName}' has '{c}'.", paramName);
            }
        }
    }

    /// <summary>Checks one record's size against <see cref="MaxRecordBytes"/>.</summary>
    /// <param name="length">The record's data length in bytes.</param>
    /// <param name="paramName">The argument name reported.</param>
    /// <exception cref="ArgumentException">The record is larger than 1,000 KiB.</exception>
    public static void ValidateRecordSize(int length, string paramName = "data")
    {
        if (length > MaxRecordBytes)
        {
            throw new ArgumentException(
                $"A Firehose record holds at most {MaxRecordBytes} bytes (1,000 KiB) of data; got {length}.", paramName);
        }
    }
}
