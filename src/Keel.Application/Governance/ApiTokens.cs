using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Keel.Application.Governance;

/// <summary>
/// Keel's API tokens: <c>keel_&lt;id&gt;_&lt;secret&gt;</c>, where the id is 12 lowercase letters and
/// digits (public: listed and revoked by it) and the secret 32 random bytes in unpadded base64url.
/// Only <see cref="HashOf"/> (SHA-256 of the whole token) is stored: the token is long and random,
/// so a fast hash is enough, and it lets the server find a token by its hash in one lookup.
/// </summary>
public static class ApiTokens
{
    /// <summary>What every token starts with (so secret scanners and people recognise one).</summary>
    public const string Prefix = "keel_";

    /// <summary>Length of a token's id.</summary>
    public const int IdLength = 12;

    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int SecretBytes = 32;
    private static readonly int SecretLength = Base64Url(new byte[SecretBytes]).Length;

    /// <summary>A new token with its id.</summary>
    public static (string Id, string Token) Generate()
    {
        var id = RandomNumberGenerator.GetString(IdAlphabet, IdLength);
        return (id, Prefix + id + "_" + Base64Url(RandomNumberGenerator.GetBytes(SecretBytes)));
    }

    /// <summary>The stored hash of a token: SHA-256 of its UTF-8 text.</summary>
    /// <param name="token">The whole token.</param>
    public static byte[] HashOf(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>Reads a token's id; false when the text is not shaped like a Keel token.</summary>
    /// <param name="token">What the client sent.</param>
    /// <param name="id">The token's id.</param>
    public static bool TryParse(string? token, [NotNullWhen(true)] out string? id)
    {
        id = null;
        if (token is null || token.Length != Prefix.Length + IdLength + 1 + SecretLength
            || !token.StartsWith(Prefix, StringComparison.Ordinal) || token[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        var candidate = token.Substring(Prefix.Length, IdLength);
        if (!candidate.All(c => IdAlphabet.Contains(c, StringComparison.Ordinal))
            || !token.AsSpan(Prefix.Length + IdLength + 1).ToString().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }

        id = candidate;
        return true;
    }

    /// <summary>Whether <paramref name="id"/> is shaped like a token id.</summary>
    /// <param name="id">The id.</param>
    public static bool IsId(string? id) => id is { Length: IdLength } && id.All(c => IdAlphabet.Contains(c, StringComparison.Ordinal));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
