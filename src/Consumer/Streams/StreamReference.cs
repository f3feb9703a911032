namespace Kinesis.Clients.Consumer;

/// <summary>A stream as the options name it: by name, by ARN, or by the KCL's serialized identifier.</summary>
internal sealed record StreamReference(string Text, string StreamName, string? AccountId, StreamArn? Arn, StreamIdentifier? Identifier)
{
    /// <summary>Reads a name, an ARN or an identifier; the error names <paramref name="option"/>.</summary>
    /// <exception cref="ArgumentException">It is none of the three.</exception>
    public static StreamReference Parse(string? text, string option)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new ArgumentException($"{option}: a stream is needed (a name, an ARN or account:stream:creationEpoch); got an empty one.", option);
        }

        if (text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return StreamArn.TryParse(text, out var arn)
                ? new StreamReference(text, arn.StreamName, arn.AccountId, arn, null)
                : throw new ArgumentException(
                    $"{option}: '{text}' is not a Kinesis stream ARN arn:aws:kinesis:<region>:<12-digit account>:stream/<name>.", option);
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return StreamIdentifier.TryParse(text, out var identifier)
                ? new StreamReference(text, identifier.StreamName, identifier.AccountId, null, identifier)
                : throw new ArgumentException(
                    $"{option}: '{text}' is neither a stream name nor a KCL stream identifier account:stream:creationEpoch (account digits, epoch > 0).", option);
        }

        return StreamArn.IsValidName(text)
            ? new StreamReference(text, text, null, null, null)
            : throw new ArgumentException($"{option}: '{text}' is not a stream name (1 to 128 characters of a-z, A-Z, 0-9, '_', '.', '-').", option);
    }

    /// <summary>Whether a lease table's stream is this one: same name, and same account and epoch where this names them.</summary>
    public bool Matches(StreamIdentifier stream) =>
        Identifier is { } identifier
            ? identifier == stream
            : stream.StreamName == StreamName && (AccountId is null || AccountId == stream.AccountId);

    /// <summary>
    /// Whether both name one stream: same name, and same account where both name one (a bare name is in the worker's
    /// own account, which may be either); two identifiers differing only by epoch are two incarnations, still one stream.
    /// </summary>
    public bool SameStreamAs(StreamReference other) =>
        StreamName == other.StreamName && (AccountId is null || other.AccountId is null || AccountId == other.AccountId);
}
