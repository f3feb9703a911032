namespace Kinesis.Clients.Agent.Checkpoints;

/// <summary>One row of the Java agent's <c>FILE_CHECKPOINTS</c> table.</summary>
/// <param name="Flow">The Java flow id, <c>kinesis:&lt;stream&gt;:&lt;filePattern&gt;</c> or <c>fh:&lt;deliveryStream&gt;:&lt;filePattern&gt;</c>.</param>
/// <param name="Path">The absolute path the file had when the checkpoint was written.</param>
/// <param name="FileId">Java's <c>UnixFileKey.toString()</c>: <c>(dev=&lt;hex&gt;,ino=&lt;decimal&gt;)</c>.</param>
/// <param name="LastModifiedTime">The file's modification time then, in Unix milliseconds.</param>
/// <param name="Size">The file's size then.</param>
/// <param name="Offset">The byte offset every record before which was sent.</param>
/// <param name="LastUpdated">When the row was written (UTC text <c>yyyy-MM-dd HH:mm:ss.SSS</c>), or <see langword="null"/>.</param>
internal sealed record JavaCheckpoint(
    string Flow,
    string Path,
    string FileId,
    long LastModifiedTime,
    long Size,
    long Offset,
    string? LastUpdated)
{
    /// <summary>Reads <see cref="FileId"/>: the device (Java prints it in hex) and the inode (decimal).</summary>
    public bool TryParseFileId(out ulong device, out ulong inode)
    {
        device = 0;
        inode = 0;
        var text = FileId.AsSpan();
        if (!text.StartsWith("(dev=", StringComparison.Ordinal) || !text.EndsWith(")", StringComparison.Ordinal))
        {
            return false;
        }

        text = text[5..^1];
        var comma = text.IndexOf(",ino=", StringComparison.Ordinal);
        if (comma <= 0)
        {
            return false;
        }

        // Java prints both as signed longs: the device via Long.toHexString (two's complement), the inode in decimal.
        if (!ulong.TryParse(text[..comma], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out device)
            || !long.TryParse(text[(comma + 5)..], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var signed))
        {
            return false;
        }

        inode = unchecked((ulong)signed);
        return true;
    }
}
