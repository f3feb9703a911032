using System.Globalization;
using System.Text;

namespace Kinesis.Clients.Soak;

/// <summary>
/// The application log the agent tails: lines <c>a:GEN:SEQ:UNIXMS:padding</c> (SEQ counts every line written,
/// GEN the file's generation), appended in small bursts and rotated on a schedule, alternately by rename/create
/// (as logrotate's default does) and by copytruncate (copy, then truncate in place). The writer rotates between
/// bursts, so copytruncate's own window (lines written between the copy and the truncation are lost) never opens:
/// every line written must arrive.
/// </summary>
internal sealed class RotatingLog
{
    private const int LineSize = 120;
    private readonly string _path;
    private readonly string _padding = new('y', LineSize);
    private int _generation;
    private int _rotatedFiles;

    public RotatingLog(string directory)
    {
        _path = Path.Combine(directory, "app.log");
        File.WriteAllBytes(_path, []);
    }

    /// <summary>The pattern the agent's flow tails: the live file and its rotated copies.</summary>
    public string Pattern => _path + "*";

    public long LinesWritten { get; private set; }

    public int RenameRotations { get; private set; }

    public int CopyTruncateRotations { get; private set; }

    /// <summary>Appends <paramref name="count"/> lines.</summary>
    public void Append(int count)
    {
        var text = new StringBuilder(count * LineSize);
        for (var i = 0; i < count; i++)
        {
            var head = string.Create(CultureInfo.InvariantCulture, $"a:{_generation}:{LinesWritten++}:{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}:");
            text.Append(head).Append(_padding, 0, LineSize - head.Length - 1).Append('\n');
        }

        using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        file.Write(Encoding.ASCII.GetBytes(text.ToString()));
    }

    /// <summary>Rotates the live file, rename/create and copytruncate in turn; the next lines start a new generation.</summary>
    public void Rotate()
    {
        var rotated = $"{_path}.{++_rotatedFiles}";
        if (_rotatedFiles % 2 == 1)
        {
            File.Move(_path, rotated);
            File.WriteAllBytes(_path, []);
            RenameRotations++;
        }
        else
        {
            File.Copy(_path, rotated);
            using (var file = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                file.SetLength(0);
            }

            CopyTruncateRotations++;
        }

        _generation++;
    }
}
