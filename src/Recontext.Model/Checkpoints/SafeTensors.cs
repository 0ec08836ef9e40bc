using System.Buffers.Binary;
using System.Text.Json;
using static TorchSharp.torch;

namespace Recontext.Model.Checkpoints;

/// <summary>
/// Reader and writer of the <c>safetensors</c> format: an 8-byte little-endian header length, a JSON header
/// mapping each name to dtype, shape and byte range, then the raw little-endian tensor bytes. Raw bytes are
/// copied as they are, so a save → load round trip is bit-exact.
/// </summary>
public static class SafeTensors
{
    static readonly Dictionary<ScalarType, string> DtypeNames = new()
    {
        [ScalarType.Float32] = "F32", [ScalarType.Float16] = "F16", [ScalarType.BFloat16] = "BF16",
        [ScalarType.Float64] = "F64", [ScalarType.Int64] = "I64", [ScalarType.Int32] = "I32",
        [ScalarType.Int16] = "I16", [ScalarType.Int8] = "I8", [ScalarType.Byte] = "U8", [ScalarType.Bool] = "BOOL",
    };

    static readonly Dictionary<string, ScalarType> DtypesByName = DtypeNames.ToDictionary(kv => kv.Value, kv => kv.Key);

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var header = new MemoryStream();
        using (var json = new Utf8JsonWriter(header))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var (name, tensor) in ordered)
            {
                if (!DtypeNames.TryGetValue(tensor.dtype, out var dtype))
                    throw new NotSupportedException($"tensor '{name}' has dtype {tensor.dtype}, which safetensors support here does not cover");
                long size = tensor.NumberOfElements * tensor.ElementSize;
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (var d in tensor.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        // The data section starts 8-byte aligned; the format pads the header with spaces.
        while (header.Length % 8 != 0) header.WriteByte((byte)' ');

        var temp = path + ".tmp";
        using (var file = File.Create(temp))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            file.Write(length);
            header.Position = 0;
            header.CopyTo(file);
            foreach (var (_, tensor) in ordered)
            {
                using var scope = NewDisposeScope();
                file.Write(tensor.detach().cpu().contiguous().bytes);
            }
        }
        File.Move(temp, path, overwrite: true);   // never leave a half-written checkpoint under the real name
    }

    /// <summary>Reads the length-prefixed JSON header; the data section starts right after it.</summary>
    /// <exception cref="InvalidDataException">a truncated or damaged file (the message names it)</exception>
    static (JsonDocument Header, long DataStart) ReadHeader(FileStream file, string path)
    {
        if (file.Length < 8) throw new InvalidDataException($"{path}: {file.Length} bytes is too short for a safetensors file (truncated?)");
        Span<byte> lengthBytes = stackalloc byte[8];
        file.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > 100_000_000 || (long)headerLength > file.Length - 8)
            throw new InvalidDataException($"{path}: header length {headerLength} is impossible for a {file.Length}-byte file (truncated or not safetensors?)");
        var headerBytes = new byte[headerLength];
        file.ReadExactly(headerBytes);
        try
        {
            return (JsonDocument.Parse(headerBytes), 8 + (long)headerLength);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the header is not valid JSON (damaged?): {e.Message}", e);
        }
    }

    public static Dictionary<string, Tensor> Load(string path)
    {
        using var file = File.OpenRead(path);
        var (header, dataStart) = ReadHeader(file, path);
        using var _ = header;
        var result = new Dictionary<string, Tensor>();
        foreach (var entry in header.RootElement.EnumerateObject())
        {
            if (entry.Name == "__metadata__") continue;
            var dtypeName = entry.Value.GetProperty("dtype").GetString() ?? "";
            if (!DtypesByName.TryGetValue(dtypeName, out var dtype))
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' has unsupported dtype '{dtypeName}'");
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var tensor = empty(shape, dtype);
            long expected = tensor.NumberOfElements * tensor.ElementSize;
            if (offsets.Length != 2 || offsets[1] - offsets[0] != expected || dataStart + offsets[1] > file.Length)
                throw new InvalidDataException($"{path}: tensor '{entry.Name}' byte range [{string.Join(", ", offsets)}] does not fit shape [{string.Join(", ", shape)}] {dtypeName}");
            var buffer = new byte[expected];
            RandomAccess.Read(file.SafeFileHandle, buffer, dataStart + offsets[0]);
            tensor.bytes = buffer;
            result[entry.Name] = tensor;
        }
        return result;
    }

    /// <summary>One tensor as a file's header describes it.</summary>
    public sealed record Entry(string Name, string Dtype, long[] Shape)
    {
        public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
    }

    /// <summary>The tensors a file holds, from its header alone (nothing is loaded).</summary>
    public static IReadOnlyList<Entry> ReadEntries(string path)
    {
        using var file = File.OpenRead(path);
        using var header = ReadHeader(file, path).Header;
        return header.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__")
            .Select(e => new Entry(e.Name, e.Value.GetProperty("dtype").GetString() ?? "?", e.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray()))
            .ToList();
    }

    /// <summary>The metadata map of a file (empty when it has none).</summary>
    public static Dictionary<string, string> ReadMetadata(string path)
    {
        using var file = File.OpenRead(path);
        using var header = ReadHeader(file, path).Header;
        return header.RootElement.TryGetProperty("__metadata__", out var meta)
            ? meta.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
            : [];
    }

    internal static string FormatShape(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
