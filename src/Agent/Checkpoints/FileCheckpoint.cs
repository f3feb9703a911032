namespace Kinesis.Clients.Agent.Checkpoints;

/// <summary>
/// How far one file of one flow has been safely shipped. A file is identified by its device and inode plus a
/// fingerprint of its first bytes, so a reused inode (delete, then create) is not mistaken for the old file.
/// </summary>
/// <param name="FlowId">The flow the file belongs to.</param>
/// <param name="Device">The file's device number (major and minor combined as by <c>makedev</c>).</param>
/// <param name="Inode">The file's inode number on <paramref name="Device"/>.</param>
/// <param name="Fingerprint">A hash of the file's first <paramref name="FingerprintLength"/> bytes.</param>
/// <param name="FingerprintLength">How many leading bytes <paramref name="Fingerprint"/> covers; less than the
/// full fingerprint size while the file was shorter than that.</param>
/// <param name="Path">The path the file was last seen under; informational, the identity does not use it.</param>
/// <param name="Offset">The byte offset every record before which has been acknowledged.</param>
/// <param name="UpdatedAt">When the checkpoint was last written; old ones are forgotten.</param>
internal sealed record FileCheckpoint(
    string FlowId,
    ulong Device,
    ulong Inode,
    ulong Fingerprint,
    int FingerprintLength,
    string Path,
    long Offset,
    DateTimeOffset UpdatedAt);
