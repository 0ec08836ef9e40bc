using System.Text.Encodings.Web;
using System.Text.Json;

namespace Recontext.Judge.Files;

/// <summary>How JSONL output is written: compact, and readable (quotes, apostrophes and '+' are not \u-escaped;
/// the files are data, never embedded in HTML).</summary>
public static class JsonLines
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
