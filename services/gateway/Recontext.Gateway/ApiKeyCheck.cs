using System.Security.Cryptography;
using System.Text;

namespace Recontext.Gateway;

/// <summary>Checks the bearer key of a mutating call against the configured keys, in constant time (no early exit
/// that would tell an attacker how much of a guess was right).</summary>
public sealed class ApiKeyCheck(IReadOnlyList<string> keys)
{
    readonly byte[][] hashes = keys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k))).ToArray();

    /// <summary>Whether any key is configured (none: every mutating call is refused).</summary>
    public bool Any => hashes.Length > 0;

    /// <param name="authorization">the request's Authorization header, or null</param>
    public bool Allows(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal)) return false;
        // Comparing hashes of equal length keeps the comparison constant-time whatever the presented key's length.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim()));
        bool allowed = false;
        foreach (var hash in hashes) allowed |= CryptographicOperations.FixedTimeEquals(hash, presented);
        return allowed;
    }
}
