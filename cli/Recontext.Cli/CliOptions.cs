using System.CommandLine;

namespace Recontext.Cli;

/// <summary>Typed options the commands share the shape of, each validated with a message naming it.</summary>
public static class CliOptions
{
    /// <summary>An integer option that must be at least <paramref name="min"/> (and at most <paramref name="max"/>).</summary>
    public static Option<int?> Int(string name, string description, int min = 1, int max = int.MaxValue) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (!int.TryParse(token, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value))
                result.AddError($"{name} must be an integer, got '{token}'");
            else if (value < min || value > max)
                result.AddError(max == int.MaxValue ? $"{name} must be at least {min}, got {value}" : $"{name} must be from {min} to {max}, got {value}");
            else return value;
            return null;
        },
    };

    public static Option<string?> Text(string name, string description) => new(name) { Description = description };

    /// <summary>A file that must exist.</summary>
    public static Argument<FileInfo> ExistingFile(string name, string description)
    {
        var argument = new Argument<FileInfo>(name) { Description = description };
        argument.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo>() is { Exists: false } file) result.AddError($"{name}: {file} does not exist");
        });
        return argument;
    }

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };
}
