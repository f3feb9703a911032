namespace Kinesis.Clients.Agent.Tailing;

/// <summary>What <c>statx</c> says about a file.</summary>
/// <param name="Key">Device and inode.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Links">Hard links; 0 once the file is deleted while still open.</param>
/// <param name="IsRegularFile">Whether it is a regular file (not a directory, pipe or device).</param>
/// <param name="IsDirectory">Whether it is a directory.</param>
internal readonly record struct FileStatus(FileKey Key, long Size, uint Links, bool IsRegularFile, bool IsDirectory = false);
