using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Keel.Application.Governance;

/// <summary>
/// Argon2id password hashes as PHC strings (<c>$argon2id$v=19$m=19456,t=2,p=1$SALT$HASH</c>, salt and
/// hash in unpadded base64), with OWASP's recommended cost by default: 19 MiB of memory, 2 passes,
/// 1 lane. Verification reads the cost from the stored string, so hashes made with other parameters
/// keep working, and compares in constant time.
/// </summary>
public sealed class PasswordHasher
{
    /// <summary>OWASP's recommended Argon2id cost.</summary>
    public static readonly PasswordHasher Default = new(memoryKib: 19456, iterations: 2, parallelism: 1);

    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    // Bounds on parameters read from a stored string, so a corrupted or hostile row cannot make a
    // verification allocate gigabytes or spin for minutes.
    private const int MaxMemoryKib = 1024 * 1024;
    private const int MaxIterations = 64;
    private const int MaxParallelism = 16;

    /// <param name="memoryKib">Memory per hash in KiB (m).</param>
    /// <param name="iterations">Passes over the memory (t).</param>
    /// <param name="parallelism">Lanes (p).</param>
    public PasswordHasher(int memoryKib, int iterations, int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryKib, 8 * parallelism);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(memoryKib, MaxMemoryKib);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, MaxIterations);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(parallelism, MaxParallelism);
        MemoryKib = memoryKib;
        Iterations = iterations;
        Parallelism = parallelism;
    }

    /// <summary>Memory per hash in KiB.</summary>
    public int MemoryKib { get; }

    /// <summary>Passes.</summary>
    public int Iterations { get; }

    /// <summary>Lanes.</summary>
    public int Parallelism { get; }

    /// <summary>Hashes a password with a fresh random salt.</summary>
    /// <param name="password">The password.</param>
    /// <returns>The PHC string.</returns>
    public string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Compute(password, salt, MemoryKib, Iterations, Parallelism, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"$argon2id$v=19$m={MemoryKib},t={Iterations},p={Parallelism}${B64(salt)}${B64(hash)}");
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="phc"/>; false for a malformed or unsupported hash, never an exception.</summary>
    /// <param name="password">The password given.</param>
    /// <param name="phc">The stored PHC string.</param>
    public static bool Verify(string? password, string? phc)
    {
        // Argon2 takes no empty password, and no stored password is empty (the minimum is 8).
        if (string.IsNullOrEmpty(password) || !TryParse(phc, out var m, out var t, out var p, out var salt, out var expected))
        {
            return false;
        }

        var actual = Compute(password, salt, m, t, p, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool TryParse(string? phc, out int m, out int t, out int p, out byte[] salt, out byte[] hash)
    {
        (m, t, p, salt, hash) = (0, 0, 0, [], []);
        // "", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash
        var parts = phc?.Split('$');
        if (parts is not { Length: 6 } || parts[0].Length != 0 || parts[1] != "argon2id" || parts[2] != "v=19")
        {
            return false;
        }

        var cost = parts[3].Split(',');
        if (cost.Length != 3
            || !TryCost(cost[0], "m=", out m) || !TryCost(cost[1], "t=", out t) || !TryCost(cost[2], "p=", out p)
            || p < 1 || p > MaxParallelism || t < 1 || t > MaxIterations || m < 8 * p || m > MaxMemoryKib)
        {
            return false;
        }

        if (!TryB64(parts[4], out salt) || !TryB64(parts[5], out hash) || salt.Length < 8 || hash.Length < 16 || hash.Length > 64)
        {
            return false;
        }

        return true;
    }

    private static bool TryCost(string part, string prefix, out int value)
    {
        value = 0;
        return part.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(part.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static byte[] Compute(string password, byte[] salt, int memoryKib, int iterations, int parallelism, int length)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            using var argon = new Argon2id(bytes) { Salt = salt, MemorySize = memoryKib, Iterations = iterations, DegreeOfParallelism = parallelism };
            return argon.GetBytes(length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static bool TryB64(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        var padded = text + new string('=', (4 - (text.Length % 4)) % 4);
        var buffer = new byte[padded.Length * 3 / 4];
        if (!Convert.TryFromBase64String(padded, buffer, out var written))
        {
            return false;
        }

        bytes = buffer[..written];
        return true;
    }
}
