using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// The few libc calls .NET does not expose: <c>statx</c> for device, inode and link count, and a plain
/// <c>open</c>. Linux only (glibc 2.28+ or musl 1.2.5+); <c>struct statx</c> has one layout on x64 and arm64.
/// </summary>
internal static class NativeFiles
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1, StatxMode = 0x2, StatxNlink = 0x4, StatxIno = 0x100, StatxSize = 0x200;
    private const uint Wanted = StatxType | StatxMode | StatxNlink | StatxIno | StatxSize;
    private const int ReadOnly = 0, CloseOnExec = 0x80000; // O_CLOEXEC is 02000000 on x64 and arm64 alike
    private const int ENOENT = 2, EINTR = 4, ENOTDIR = 20;
    private static readonly byte[] s_emptyPath = [0];

    /// <summary>
    /// Opens <paramref name="path"/> for reading. Not through <see cref="File.OpenHandle"/>: .NET takes an advisory
    /// <c>flock(LOCK_SH)</c> on every file it opens, which would make a writer that locks its log exclusively
    /// (a .NET app opening with FileShare.None) fail while the agent tails it. A plain descriptor never blocks
    /// renames or deletes either.
    /// </summary>
    public static SafeFileHandle OpenRead(string path)
    {
        var bytes = ToCString(path);
        int fd;
        do
        {
            fd = Open(bytes, ReadOnly | CloseOnExec);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);

        if (fd < 0)
        {
            throw Failure(Marshal.GetLastPInvokeError(), path);
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Stats the file <paramref name="path"/> points to (following symlinks); false if it is gone.</summary>
    public static bool TryStat(string path, out FileStatus status)
    {
        if (Statx(AtFdCwd, ToCString(path), 0, Wanted, out var raw) == 0)
        {
            status = ToStatus(raw);
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno is ENOENT or ENOTDIR)
        {
            status = default;
            return false;
        }

        throw Failure(errno, path);
    }

    /// <summary>Stats an open file: its identity and size now, whatever it is called or whether it was deleted.</summary>
    public static FileStatus Stat(SafeFileHandle handle, string pathForErrors)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            if (Statx(fd, s_emptyPath, AtEmptyPath, Wanted, out var raw) != 0)
            {
                throw Failure(Marshal.GetLastPInvokeError(), pathForErrors);
            }

            return ToStatus(raw);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static FileStatus ToStatus(in StatxBuffer raw)
    {
        // Combine major and minor as glibc's makedev does, so the number matches what stat(1) prints.
        var major = (ulong)raw.DevMajor;
        var minor = (ulong)raw.DevMinor;
        var device = ((major & 0xfffff000UL) << 32) | ((major & 0xfffUL) << 8) | ((minor & 0xffffff00UL) << 12) | (minor & 0xffUL);
        return new FileStatus(new FileKey(device, raw.Ino), (long)raw.Size, raw.Nlink, (raw.Mode & 0xF000) == 0x8000, (raw.Mode & 0xF000) == 0x4000);
    }

    private static byte[] ToCString(string path)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, bytes);
        return bytes;
    }

    private static IOException Failure(int errno, string path)
    {
        var message = $"{path}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
        return errno switch
        {
            ENOENT => new FileNotFoundException(message, path),
            13 or 1 => new IOException(message, new UnauthorizedAccessException(message)),
            _ => new IOException(message),
        };
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int dirFd, byte[] path, int flags, uint mask, out StatxBuffer buffer);

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Open(byte[] path, int flags);

    /// <summary>The fields of <c>struct statx</c> (256 bytes) the agent reads.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(16)] public uint Nlink;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }
}
