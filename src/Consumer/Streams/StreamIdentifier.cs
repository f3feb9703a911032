using System.Globalization;

namespace Kinesis.Clients.Consumer;

/// <summary>
/// Which stream a lease, a shard or a processor belongs to, as the KCL names it: the stream name alone for a worker
/// consuming one stream, or <c>account:stream:creationEpoch</c> for a worker consuming several
/// (<see cref="KinesisConsumerOptions.Streams"/>), where it starts every lease key of that stream.
/// </summary>
public sealed record StreamIdentifier
{
    private StreamIdentifier(string? accountId, string streamName, long? creationEpoch)
    {
        AccountId = accountId;
        StreamName = streamName;
        CreationEpoch = creationEpoch;
    }

    /// <summary>The AWS account that owns the stream; <see langword="null"/> for a single stream given by name.</summary>
    public string? AccountId { get; }

    /// <summary>The stream's name.</summary>
    public string StreamName { get; }

    /// <summary>
    /// The stream's creation time in seconds since 1970 (multi-stream only): a stream deleted and created again under
    /// the same name gets new lease keys. <see langword="null"/> for a single stream.
    /// </summary>
    public long? CreationEpoch { get; }

    /// <summary>Whether this names one stream of a multi-stream application (account and creation epoch known).</summary>
    public bool IsMultiStream => CreationEpoch is not null;

    /// <summary>The stream of a worker consuming one stream, named as its lease keys do not carry it.</summary>
    /// <exception cref="ArgumentException"><paramref name="streamName"/> is not a stream name.</exception>
    public static StreamIdentifier SingleStream(string streamName)
    {
        StreamArn.ValidateName(streamName, nameof(streamName));
        return new StreamIdentifier(null, streamName, null);
    }

    /// <summary>One stream of a multi-stream application.</summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="accountId"/> is not digits, <paramref name="streamName"/> is not a stream name, or
    /// <paramref name="creationEpoch"/> is not positive (the KCL's rules).
    /// </exception>
    public static StreamIdentifier MultiStream(string accountId, string streamName, long creationEpoch)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (accountId.Length == 0 || !accountId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"An account id is digits; got '{accountId}'.", nameof(accountId));
        }

        StreamArn.ValidateName(streamName, nameof(streamName));
        if (creationEpoch <= 0)
        {
            throw new ArgumentException($"A stream's creation epoch is positive; got {creationEpoch}.", nameof(creationEpoch));
        }

        return new StreamIdentifier(accountId, streamName, creationEpoch);
    }

    /// <summary>Reads the KCL's serialized form <c>account:stream:creationEpoch</c>.</summary>
    /// <exception cref="FormatException"><paramref name="serialized"/> is not in that form.</exception>
    public static StreamIdentifier Parse(string serialized) =>
        TryParse(serialized, out var identifier, out var error)
            ? identifier
            : throw new FormatException($"'{serialized}' is not a multi-stream identifier account:stream:creationEpoch: {error}");

    /// <summary>Reads the KCL's serialized form <c>account:stream:creationEpoch</c>; false when it is not.</summary>
    public static bool TryParse(string? serialized, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StreamIdentifier? identifier) =>
        TryParse(serialized, out identifier, out _);

    /// <summary>The KCL's form: <c>account:stream:creationEpoch</c> for multi-stream, else the stream name.</summary>
    public string Serialize() =>
        CreationEpoch is { } epoch
            ? string.Create(CultureInfo.InvariantCulture, $"{AccountId}:{StreamName}:{epoch}")
            : StreamName;

    /// <summary>The serialized form (<see cref="Serialize"/>).</summary>
    public override string ToString() => Serialize();

    private static bool TryParse(string? serialized, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StreamIdentifier? identifier, out string error)
    {
        identifier = null;
        var parts = serialized?.Split(':') ?? [];
        if (parts.Length != 3)
        {
            error = "three parts separated by ':' are needed";
            return false;
        }

        if (parts[0].Length == 0 || !parts[0].All(char.IsAsciiDigit))
        {
            error = $"the account id '{parts[0]}' is not digits";
            return false;
        }

        if (!StreamArn.IsValidName(parts[1]))
        {
            error = $"'{parts[1]}' is not a stream name";
            return false;
        }

        if (parts[2].Length == 0 || !parts[2].All(char.IsAsciiDigit) ||
            !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) || epoch <= 0)
        {
            error = $"the creation epoch '{parts[2]}' is not a positive number of seconds";
            return false;
        }

        identifier = new StreamIdentifier(parts[0], parts[1], epoch);
        error = "";
        return true;
    }
}
