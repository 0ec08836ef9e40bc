using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Recontext.Runs.Config;

/// <summary>
/// Binds a YAML mapping onto a typed options record, field by field, by the records' own property names in
/// camelCase: the records are the schema, written once. Strict: a key no property has is refused with the keys that
/// are allowed; a value of the wrong type, outside a property's <see cref="RangeAttribute"/>, or not one of an
/// enum's names (in kebab-case: <c>expert-iteration</c>) is refused; every error names the field by its path
/// (<c>grpo.epsilon</c>). A mapping binds onto a copy of the value already there, so absent fields keep their defaults.
/// </summary>
public static class YamlBinder
{
    /// <summary>Reads types that are not a plain record, scalar, enum or list (a context: a preset name or a mapping).</summary>
    public delegate object Converter(YamlNode node, string path);

    /// <param name="start">the value the fields are bound onto (defaults); a new instance when null</param>
    public static T Bind<T>(YamlNode node, string path, T? start = null, IReadOnlyDictionary<Type, Converter>? converters = null) where T : class =>
        (T)BindRecord(typeof(T), node, path, start, converters ?? new Dictionary<Type, Converter>());

    /// <summary>A null, empty or <c>~</c> plain scalar: the field is absent.</summary>
    public static bool IsAbsent(YamlNode node) => node is YamlScalarNode { Value: null or "" or "~" or "null", Style: ScalarStyle.Plain };

    /// <summary>The name a property has in YAML.</summary>
    public static string FieldName(PropertyInfo property) => char.ToLowerInvariant(property.Name[0]) + property.Name[1..];

    /// <summary>An enum value's name in YAML: kebab-case (<c>ExtraSystemTurn</c> → <c>extra-system-turn</c>).</summary>
    public static string EnumName(object value)
    {
        var name = value.ToString()!;
        var text = new StringBuilder();
        for (int i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) text.Append('-');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    static object BindRecord(Type type, YamlNode node, string path, object? start, IReadOnlyDictionary<Type, Converter> converters)
    {
        if (node is not YamlMappingNode mapping) throw new ExperimentException($"{(path.Length == 0 ? "the file" : path)} must be a mapping (key: value lines)");
        var target = start is null ? Activator.CreateInstance(type)! : Copy(start);
        var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true })
            .ToDictionary(FieldName);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "?";
            if (!fields.TryGetValue(key, out var property))
                throw new ExperimentException($"unknown field '{Join(path, key)}'; allowed here: {string.Join(", ", fields.Keys.Order(StringComparer.Ordinal))}");
            if (IsAbsent(value)) continue;
            property.SetValue(target, Read(property.PropertyType, value, Join(path, key), property.GetValue(target), property.GetCustomAttribute<RangeAttribute>(), converters));
        }
        return target;
    }

    /// <summary>A record's shallow copy (its compiler-made clone), so that binding never changes a shared default.</summary>
    static object Copy(object value) =>
        value.GetType().GetMethod("<Clone>$") is { } clone ? clone.Invoke(value, null)! : value;

    static object Read(Type type, YamlNode node, string path, object? current, RangeAttribute? range, IReadOnlyDictionary<Type, Converter> converters)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (converters.TryGetValue(underlying, out var convert)) return convert(node, path);
        if (underlying == typeof(string)) return Scalar(node, path);
        if (underlying == typeof(bool)) return Scalar(node, path) switch
        {
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            var text => throw new ExperimentException($"{path} must be true or false, got '{text}'"),
        };
        if (underlying == typeof(int) || underlying == typeof(long)) return Integer(underlying, Scalar(node, path), path, range);
        if (underlying == typeof(double))
        {
            var text = Scalar(node, path);
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) throw new ExperimentException($"{path} must be a number, got '{text}'");
            if (range is not null && (value < Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture) || value > Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture)))
                throw new ExperimentException($"{path} must be in [{range.Minimum}, {range.Maximum}], got {value}");
            return value;
        }
        if (underlying.IsEnum)
        {
            var text = Scalar(node, path);
            var values = Enum.GetValues(underlying).Cast<object>().ToList();
            return values.FirstOrDefault(v => EnumName(v) == text)
                   ?? throw new ExperimentException($"{path} is '{text}'; allowed: {string.Join(", ", values.Select(EnumName))}");
        }
        if (ListElement(underlying) is { } element)
        {
            var items = node is YamlSequenceNode sequence ? sequence.Children.ToList() : [node];   // one value reads as a one-element list
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            for (int i = 0; i < items.Count; i++) list.Add(Read(element, items[i], $"{path}[{i}]", null, range, converters));
            return list;
        }
        if (underlying.IsClass) return BindRecord(underlying, node, path, current, converters);
        throw new NotSupportedException($"{path}: no YAML reading for {underlying.Name}");
    }

    static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var definition
        && (definition == typeof(IReadOnlyList<>) || definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IEnumerable<>))
            ? type.GetGenericArguments()[0] : null;

    /// <summary>A single value (not a list or a mapping).</summary>
    public static string Scalar(YamlNode node, string path) =>
        node is YamlScalarNode scalar ? scalar.Value ?? "" : throw new ExperimentException($"{path} must be a single value, not a list or mapping");

    static object Integer(Type type, string text, string path, RangeAttribute? range)
    {
        long min = range is null ? (type == typeof(int) ? int.MinValue : long.MinValue) : Convert.ToInt64(range.Minimum, CultureInfo.InvariantCulture);
        long max = range is null ? (type == typeof(int) ? int.MaxValue : long.MaxValue) : Convert.ToInt64(range.Maximum, CultureInfo.InvariantCulture);
        if (type == typeof(int)) max = Math.Min(max, int.MaxValue);
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || (type == typeof(int) && value is < int.MinValue or > int.MaxValue))
            throw new ExperimentException(BigInteger.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var big)
                ? big > 0 && max < (type == typeof(int) ? int.MaxValue : long.MaxValue) ? $"{path} is {text}; at most {max}" : $"{path} is {text}: too {(big > 0 ? "large" : "small")} for an integer"
                : $"{path} must be an integer, got '{text}'");
        if (value < min) throw new ExperimentException($"{path} must be >= {min}, got {value}");
        if (value > max) throw new ExperimentException($"{path} is {value}; at most {max}");
        return type == typeof(int) ? (object)(int)value : value;
    }
}
