using System.Text;

namespace Recontext.Judge.Files;

/// <summary>
/// Lines of a text file, each at most a cap long: a longer line is skipped to its end without being held (so one 50 MB
/// line costs a buffer, not 1.3 GB), and reported as too long.
/// </summary>
public static class BoundedLines
{
    /// <summary>One line: its text, or null when it was longer than the cap (<paramref name="Length"/> says how long).</summary>
    public readonly record struct Line(string? Text, long Length);

    public static async IAsyncEnumerable<Line> ReadAsync(TextReader reader, int maxChars,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation = default)
    {
        var buffer = new char[8192];
        var line = new StringBuilder();
        long length = 0;
        bool tooLong = false, any = false;
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory(), cancellation)) > 0)
        {
            any = true;
            int start = 0;
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                Append(buffer.AsSpan(start, i - start));
                yield return Finish();
                start = i + 1;
            }
            Append(buffer.AsSpan(start, read - start));
        }
        if (any && (length > 0 || line.Length > 0)) yield return Finish();

        void Append(ReadOnlySpan<char> part)
        {
            length += part.Length;
            if (tooLong) return;
            if (line.Length + part.Length > maxChars)
            {
                tooLong = true;
                line.Clear();
                return;
            }
            line.Append(part);
        }

        Line Finish()
        {
            var done = tooLong ? new Line(null, length) : new Line(line.ToString().TrimEnd('\r'), length);
            line.Clear();
            length = 0;
            tooLong = false;
            return done;
        }
    }
}
