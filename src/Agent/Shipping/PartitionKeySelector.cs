using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kinesis.Clients.Agent.Tailing;

namespace Kinesis.Clients.Agent.Shipping;

/// <summary>Picks the partition key of each record of a flow (the flow's <c>partitionKeyOption</c>).</summary>
internal abstract class PartitionKeySelector
{
    /// <summary>Kinesis' partition key limit, in Unicode characters.</summary>
    public const int MaxKeyLength = 256;

    /// <summary>The key for one record (after processing).</summary>
    public abstract string Select(ReadOnlySpan<byte> record, ITailedFile file);

    /// <summary>
    /// Whether one key serves a whole run of consecutive records of a file (the key does not depend on the
    /// record): it is then chosen once per run. Otherwise each record gets its own and a run holds
    /// consecutive records whose keys are equal.
    /// </summary>
    public virtual bool KeyPerRun => false;

    /// <summary>
    /// RANDOM: records spread evenly over the shards. A key is drawn per run of consecutive records of a file (up
    /// to one aggregate, about 50 KB), not per line: the spread over shards is as even over any stretch longer
    /// than a few aggregates, and each aggregate fills on one shard at the reading speed instead of 1/N of it on
    /// each of N shards. Keys come from a fixed pool of random 128-bit numbers, so no string is made per run.
    /// </summary>
    public static PartitionKeySelector Random() => new RandomKeys();

    /// <summary>DETERMINISTIC: the hex MD5 of the record's data, so equal records always share a shard.</summary>
    public static PartitionKeySelector Deterministic() => new DataHashKeys();

    /// <summary>FILE: the file's path, so each file stays on one shard and in order.</summary>
    public static PartitionKeySelector File() => new FileKeys();

    /// <summary>FIELD: a top-level JSON field of the record; RANDOM when the record is not JSON or lacks it.</summary>
    public static PartitionKeySelector Field(string name) => new FieldKeys(name);

    /// <summary>REGEX: the first capture group (or the whole match); RANDOM when the record does not match.</summary>
    public static PartitionKeySelector Pattern(Regex pattern) => new PatternKeys(pattern);

    /// <summary>Keeps a key within Kinesis' limit: an over-long or empty one is replaced by its hash.</summary>
    [SuppressMessage("Security", "CA5351", Justification = "A partition key spreads records over shards; MD5 is a spreading hash here, not security.")]
    private static string Fit(string key) =>
        key.Length is > 0 and <= MaxKeyLength ? key : Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(key)));

    private sealed class RandomKeys : PartitionKeySelector
    {
        private readonly string[] _pool = CreatePool(4096);

        public override bool KeyPerRun => true;

        public override string Select(ReadOnlySpan<byte> record, ITailedFile file) =>
            _pool[System.Random.Shared.Next(_pool.Length)];

        private static string[] CreatePool(int size)
        {
            var pool = new string[size];
            Span<byte> bytes = stackalloc byte[16];
            for (var i = 0; i < size; i++)
            {
                RandomNumberGenerator.Fill(bytes);
                pool[i] = new System.Numerics.BigInteger(bytes, isUnsigned: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return pool;
        }
    }

    private sealed class DataHashKeys : PartitionKeySelector
    {
        [SuppressMessage("Security", "CA5351", Justification = "A partition key spreads records over shards; MD5 is a spreading hash here, not security.")]
        public override string Select(ReadOnlySpan<byte> record, ITailedFile file)
        {
            Span<byte> hash = stackalloc byte[16];
            MD5.HashData(record, hash);
            return Convert.ToHexStringLower(hash);
        }
    }

    private sealed class FileKeys : PartitionKeySelector
    {
        public override bool KeyPerRun => true;

        public override string Select(ReadOnlySpan<byte> record, ITailedFile file) => Fit(file.Path);
    }

    private sealed class FieldKeys(string name) : PartitionKeySelector
    {
        private readonly PartitionKeySelector _fallback = new RandomKeys();
        private readonly byte[] _name = Encoding.UTF8.GetBytes(name);

        public override string Select(ReadOnlySpan<byte> record, ITailedFile file) =>
            TryReadField(record, out var value) ? Fit(value) : _fallback.Select(record, file);

        private bool TryReadField(ReadOnlySpan<byte> record, out string value)
        {
            value = "";
            try
            {
                var reader = new Utf8JsonReader(record);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return false;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var match = reader.ValueTextEquals(_name);
                    if (!reader.Read())
                    {
                        return false;
                    }

                    if (match)
                    {
                        value = reader.TokenType switch
                        {
                            JsonTokenType.String => reader.GetString() ?? "",
                            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                            JsonTokenType.True => "true",
                            JsonTokenType.False => "false",
                            _ => "",
                        };
                        return value.Length > 0;
                    }

                    reader.Skip();
                }
            }
            catch (JsonException)
            {
                // Not JSON (a raw line whose conversion failed): the fallback key is used.
            }

            return false;
        }
    }

    private sealed class PatternKeys(Regex pattern) : PartitionKeySelector
    {
        private readonly PartitionKeySelector _fallback = new RandomKeys();

        public override string Select(ReadOnlySpan<byte> record, ITailedFile file)
        {
            var text = Encoding.UTF8.GetString(record);
            Match match;
            try
            {
                match = pattern.Match(text);
            }
            catch (RegexMatchTimeoutException)
            {
                return _fallback.Select(record, file);
            }

            if (!match.Success)
            {
                return _fallback.Select(record, file);
            }

            var key = match.Groups.Count > 1 && match.Groups[1].Success ? match.Groups[1].Value : match.Value;
            return key.Length == 0 ? _fallback.Select(record, file) : Fit(key);
        }
    }
}
