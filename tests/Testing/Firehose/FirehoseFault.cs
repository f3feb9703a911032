namespace Kinesis.Clients.Testing;

/// <summary>A failure <see cref="LoopbackFirehose"/> can be told to answer a put call with instead of serving it.</summary>
public enum FirehoseFault
{
    /// <summary>HTTP 500 with <c>InternalFailure</c>; nothing stored.</summary>
    InternalFailure,

    /// <summary>HTTP 503 with <c>ServiceUnavailableException</c> "Slow down." for the whole call; nothing stored.</summary>
    ServiceUnavailable,

    /// <summary>A PutRecordBatch reply in which every second entry (the 1st, 3rd, ...) fails with <c>InternalFailure</c>; the others are stored.</summary>
    PartialFailure,

    /// <summary>The connection is reset without an answer; nothing stored.</summary>
    Reset,

    /// <summary>The records are stored, then the connection is reset before the answer: the client cannot know.</summary>
    ResetAfterStoring,

    /// <summary>No answer at all: the request is held until the client gives up or the server stops; nothing stored.</summary>
    Hang,
}
