namespace Kinesis.Clients.Agent.Configuration;

/// <summary>Where the agent starts reading a file it has no checkpoint for (<c>initialPosition</c>).</summary>
internal enum InitialPosition
{
    /// <summary><c>END_OF_FILE</c>: only lines written after the agent found the file are sent. The default.</summary>
    EndOfFile,

    /// <summary><c>START_OF_FILE</c>: the whole file is sent.</summary>
    StartOfFile,
}
