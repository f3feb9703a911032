using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Kinesis.Clients.Records;

/// <summary>
/// Checks record and stream inputs against the Kinesis API's limits before anything is sent, so a bad value
/// fails at the call that supplied it with a message naming the argument and the limit.
/// </summary>
public static partial class RecordValidation
{
    /// <summary>The most Unicode characters a partition key may have.</summary>
    public const int MaxPartitionKeyLength = 256;

    /// <summary>The default record size limit in bytes (1 MiB): data blob plus UTF-8 partition key.</summary>
    public const int DefaultMaxRecordSizeBytes = 1024 * 1024;

    /// <summary>The largest record size limit a stream can be configured with (10 MiB).</summary>
    public const int MaxConfigurableRecordSizeBytes = 10 * 1024 * 1024;

    /// <summary>The most characters a stream name may have.</summary>
    public const int MaxStreamNameLength = 128;

    /// <summary>The most characters a stream ARN may have.</summary>
    public const int MaxStreamArnLength = 2048;

    /// <summary>Checks a partition key: 1 to 256 Unicode characters of well-formed UTF-16.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="paramName">The argument name reported; defaults to the caller's expression.</param>
    /// <exception cref="ArgumentNullException"><paramref name="partitionKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The key is empty, too long, or has an unpaired surrogate.</exception>
    /// <remarks>
    /// Characters are Unicode scalar values (code points), so a surrogate pair such as an emoji counts once:
    /// the API states the limit in "Unicode characters", and the service's model measures string lengths in
    /// code points. An unpaired surrogate has no UTF-8 form, so the bytes hashed and sent would not be the
    /// key the caller wrote; it is refused.
    /// </remarks>
    public static void ValidatePartitionKey(
        string partitionKey,
        [CallerArgumentExpression(nameof(partitionKey))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(partitionKey, paramName);
        var length = CountScalars(partitionKey, out var unpairedAt);
        if (unpairedAt >= 0)
        {
            throw new ArgumentException(
                $"Partition key must be well-formed Unicode; it has an unpaired surrogate at index {unpairedAt}.",
                paramName);
        }

        if (length is 0 or > MaxPartitionKeyLength)
        {
            throw new ArgumentException(
                $"Partition key must be 1 to {MaxPartitionKeyLength} Unicode characters; got {length}.",
                paramName);
        }
    }

    /// <summary>Checks an optional explicit hash key: absent, or a decimal integer in [0, 2^128 − 1].</summary>
    /// <param name="explicitHashKey">The explicit hash key, or <see langword="null"/> for none.</param>
    /// <param name="paramName">The argument name reported; defaults to the caller's expression.</param>
    /// <exception cref="ArgumentException">The value is not a valid hash key.</exception>
    /// <remarks>
    /// The grammar is the API's <c>0|([1-9]\d{0,38})</c>: digits only, no sign, no spaces and no leading zeros
    /// (the service refuses "007"), bounded by 2^128 − 1.
    /// </remarks>
    public static void ValidateExplicitHashKey(
        string? explicitHashKey,
        [CallerArgumentExpression(nameof(explicitHashKey))] string? paramName = null)
    {
        if (explicitHashKey is not null && !HashKey.TryParse(explicitHashKey, out _))
        {
            throw new ArgumentException(
                $"Explicit hash key must be a decimal integer from 0 to {UInt128.MaxValue} without sign, spaces or leading zeros; got '{DiagnosticText.Quote(explicitHashKey)}'.",
                paramName);
        }
    }

    /// <summary>Checks that a record's data blob and partition key together fit the record size limit.</summary>
    /// <param name="data">The data blob.</param>
    /// <param name="partitionKey">The record's partition key.</param>
    /// <param name="maxRecordSizeBytes">The stream's record size limit, 1 MiB unless the stream was configured higher.</param>
    /// <param name="paramName">The argument name reported; defaults to the caller's expression.</param>
    /// <exception cref="ArgumentException">Data plus UTF-8 partition key exceed the limit.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRecordSizeBytes"/> is not in [1, 10 MiB].</exception>
    /// <remarks>See <see cref="ValidateRecordSize"/> for how the size is counted.</remarks>
    public static void ValidateData(
        ReadOnlySpan<byte> data,
        string partitionKey,
        int maxRecordSizeBytes = DefaultMaxRecordSizeBytes,
        [CallerArgumentExpression(nameof(data))] string? paramName = null) =>
        ValidateRecordSize(partitionKey, data.Length, maxRecordSizeBytes, paramName);

    /// <summary>Checks that a record's data length and partition key together fit the record size limit.</summary>
    /// <param name="partitionKey">The record's partition key.</param>
    /// <param name="dataLength">The data blob's length in bytes, before base64.</param>
    /// <param name="maxRecordSizeBytes">The stream's record size limit, 1 MiB unless the stream was configured higher.</param>
    /// <param name="paramName">The argument name reported; defaults to the caller's expression.</param>
    /// <exception cref="ArgumentException">Data plus UTF-8 partition key exceed the limit.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="dataLength"/> is negative, or <paramref name="maxRecordSizeBytes"/> is not in [1, 10 MiB].
    /// </exception>
    /// <remarks>
    /// The API counts the data blob (before base64) plus the partition key against the record size limit;
    /// the key is counted in UTF-8 bytes, its size on the wire, as the KPL does when it sizes requests.
    /// The explicit hash key is not counted.
    /// </remarks>
    public static void ValidateRecordSize(
        string partitionKey,
        int dataLength,
        int maxRecordSizeBytes = DefaultMaxRecordSizeBytes,
        [CallerArgumentExpression(nameof(dataLength))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecordSizeBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRecordSizeBytes, MaxConfigurableRecordSizeBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(dataLength, paramName);

        var keyBytes = Encoding.UTF8.GetByteCount(partitionKey);
        var total = (long)dataLength + keyBytes;
        if (total > maxRecordSizeBytes)
        {
            throw new ArgumentException(
                $"Record data plus partition key must be at most {maxRecordSizeBytes} bytes; got {total} ({dataLength} bytes of data + {keyBytes} bytes of partition key).",
                paramName);
        }
    }

    /// <summary>Checks a stream name: 1 to 128 characters from <c>[a-zA-Z0-9_.-]</c>.</summary>
    /// <param name="streamName">The stream name.</param>
    /// <param name="paramName">The argument name reported; defaults to the caller's expression.</param>
    /// <exception cref="ArgumentNullException"><paramref name="streamName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name is empty, too long, or has another character.</exception>
    public static void ValidateStreamName(
        string streamName,
        [CallerArgumentExpression(nameof(streamName))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(streamName, paramName);
        if (streamName.Length is 0 or > MaxStreamNameLength)
        {
            throw new ArgumentException(
                $"Stream name must be 1 to {MaxStreamNameLength} characters; got {streamName.Length}.",
                paramName);
        }

        for (var i = 0; i < streamName.Length; i++)
        {
            var c = streamName[i];
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                throw new ArgumentException(
                    $"Stream name may contain only a-z, A-Z, 0-9, '_', '.' and '-'; got '{DiagnosticText.Quote(streamName)}' with U+{(int)c:X4} at index {i}.",
                    paramName);
            }
        }
    }

    /// <summary>
    /// Checks a stream ARN: 1 to 2048 characters matching <c>arn:aws.*:kinesis:.*:\d{12}:stream/\S+</c>.
    /// </summary>
    /// <param name="streamArn">The stream ARN.</param>
    /// <param name="paramName">The argument name reported; defaults to the caller's expression.</param>
    /// <exception cref="ArgumentNullException"><paramref name="streamArn"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The ARN is empty, too long, or not a Kinesis stream ARN.</exception>
    public static void ValidateStreamArn(
        string streamArn,
        [CallerArgumentExpression(nameof(streamArn))] string? paramName = null)
    {
        ArgumentNullException.ThrowIfNull(streamArn, paramName);
        if (streamArn.Length is 0 or > MaxStreamArnLength)
        {
            throw new ArgumentException(
                $"Stream ARN must be 1 to {MaxStreamArnLength} characters; got {streamArn.Length}.",
                paramName);
        }

        if (!StreamArnPattern().IsMatch(streamArn))
        {
            throw new ArgumentException(
                $"Stream ARN must look like arn:aws:kinesis:<region>:<12-digit account>:stream/<name>; got '{DiagnosticText.Quote(streamArn)}'.",
                paramName);
        }
    }

    /// <summary>Counts Unicode scalar values, noting the index of the first unpaired surrogate (or −1).</summary>
    internal static int CountScalars(string s, out int unpairedAt)
    {
        unpairedAt = -1;
        var count = 0;
        for (var i = 0; i < s.Length; i++, count++)
        {
            var c = s[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                i++;
            }
            else if (unpairedAt < 0)
            {
                unpairedAt = i;
            }
        }

        return count;
    }

    // The API's pattern, anchored because AWS patterns match whole values (\z, as $ would pass a trailing newline);
    // [0-9] because .NET's \d is any Unicode digit.
    [GeneratedRegex(@"^arn:aws.*:kinesis:.*:[0-9]{12}:stream/\S+\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StreamArnPattern();
}
