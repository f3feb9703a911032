namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// The agent's configuration cannot be used. The message is one line that names the file, the key path
/// (<c>flows[1].partitionKeyOption</c>) and what is allowed, so the operator can fix it from the journal alone.
/// </summary>
internal sealed class AgentConfigurationException : Exception
{
    /// <summary>Creates an exception with a message only.</summary>
    public AgentConfigurationException()
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public AgentConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public AgentConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception about one key of one file.</summary>
    /// <param name="file">The file at fault, or <see langword="null"/> when none is known.</param>
    /// <param name="key">The key path at fault, or <see langword="null"/> when the whole file is.</param>
    /// <param name="problem">What is wrong and what is allowed.</param>
    /// <param name="innerException">The cause, if any.</param>
    public AgentConfigurationException(string? file, string? key, string problem, Exception? innerException = null)
        : base(Format(file, key, problem), innerException)
    {
        File = file;
        Key = key;
    }

    /// <summary>The file at fault, as given to the loader; <see langword="null"/> when none is known.</summary>
    public string? File { get; }

    /// <summary>The key path at fault (<c>flows[0].filePattern</c>); <see langword="null"/> when the whole file is.</summary>
    public string? Key { get; }

    private static string Format(string? file, string? key, string problem) => (file, key) switch
    {
        (null, null) => problem,
        (null, _) => $"{key}: {problem}",
        (_, null) => $"{file}: {problem}",
        _ => $"{file}: {key}: {problem}",
    };
}
