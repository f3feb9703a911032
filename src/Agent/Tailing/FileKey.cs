namespace Kinesis.Clients.Agent.Tailing;

/// <summary>A file's device and inode: what a path points to, whatever its name.</summary>
internal readonly record struct FileKey(ulong Device, ulong Inode)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Device}:{Inode}";
}
