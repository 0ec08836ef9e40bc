using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recontext.Model;

/// <summary>
/// A config field that Hugging Face writes as one id or a list of ids (<c>eos_token_id</c>: Qwen3 writes 151645,
/// Llama 3.1 Instruct [128001, 128008, 128009]). Compared by value, so configs stay comparable records.
/// </summary>
[JsonConverter(typeof(TokenIdsConverter))]
public sealed class TokenIds(IReadOnlyList<int> ids) : IEquatable<TokenIds>
{
    public IReadOnlyList<int> Ids { get; } = ids.Count > 0 ? ids.ToArray() : throw new ArgumentException("a token id list must not be empty");

    public int First => Ids[0];

    public bool Equals(TokenIds? other) => other is not null && Ids.SequenceEqual(other.Ids);

    public override bool Equals(object? obj) => Equals(obj as TokenIds);

    public override int GetHashCode() => Ids.Aggregate(17, HashCode.Combine);

    public override string ToString() => Ids.Count == 1 ? $"{First}" : $"[{string.Join(", ", Ids)}]";

    sealed class TokenIdsConverter : JsonConverter<TokenIds>
    {
        public override TokenIds Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Number) return new TokenIds([reader.GetInt32()]);
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("a token id must be a number or a list of numbers");
            var ids = new List<int>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                ids.Add(reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : throw new JsonException("a token id list holds numbers only"));
            return ids.Count > 0 ? new TokenIds(ids) : throw new JsonException("a token id list must not be empty");
        }

        public override void Write(Utf8JsonWriter writer, TokenIds value, JsonSerializerOptions options)
        {
            if (value.Ids.Count == 1)
            {
                writer.WriteNumberValue(value.First);
                return;
            }
            writer.WriteStartArray();
            foreach (var id in value.Ids) writer.WriteNumberValue(id);
            writer.WriteEndArray();
        }
    }
}
