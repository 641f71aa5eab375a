using Keel.Core.Errors;

namespace Keel.Core.Artifacts;

/// <summary>
/// The one rule for a relative artifact path a client sends (MLflow's <c>validate_path_is_safe</c>):
/// '/'-separated, not absolute, no <c>..</c>, no '#', no backslash or NUL, checked after undoing
/// percent-encoding until stable so <c>%252e%252e</c> cannot hide a <c>..</c>. A refusal is
/// INVALID_PARAMETER_VALUE with MLflow's exact message, "Invalid path".
/// </summary>
public static class ArtifactPath
{
    /// <summary>MLflow's message for every unsafe path.</summary>
    public const string InvalidMessage = "Invalid path";

    /// <summary>
    /// Returns the segments of a safe relative path (empty for the root; <c>.</c> and empty
    /// segments dropped), or throws INVALID_PARAMETER_VALUE "Invalid path".
    /// </summary>
    public static string[] Segments(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return [];
        }

        if (!IsSafe(path))
        {
            throw Invalid();
        }

        return path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
    }

    /// <summary>The normalised form of a safe relative path ("" for the root), or throws "Invalid path".</summary>
    public static string Normalize(string? path) => string.Join('/', Segments(path));

    /// <summary>True when any '/'-separated segment of <paramref name="path"/> is <c>.</c> or <c>..</c> once decoded.</summary>
    public static bool HasDotSegment(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Decode(path) is not { } decoded || decoded.Split('/', '\\').Any(s => s is "." or "..");
    }

    /// <summary>The refusal every caller raises, so the wording cannot drift.</summary>
    public static KeelException Invalid() => KeelException.InvalidParameter(InvalidMessage);

    private static bool IsSafe(string path)
    {
        var decoded = Decode(path);
        if (decoded is null)
        {
            return false;
        }

        foreach (var text in new[] { path, decoded })
        {
            if (text.Contains('#') || text.Contains('\\') || text.Contains('\0') || text.StartsWith('/') || HasDriveLetter(text)
                || text.Split('/').Any(s => s == ".."))
            {
                return false;
            }
        }

        return true;
    }

    // Undo percent-encoding until the text stops changing; null (unsafe) if it never settles.
    private static string? Decode(string text)
    {
        var current = text;
        for (var i = 0; i < 10; i++)
        {
            var next = Uri.UnescapeDataString(current);
            if (next == current)
            {
                return current;
            }

            current = next;
        }

        return null;
    }

    private static bool HasDriveLetter(string path) => path.Length >= 2 && path[1] == ':' && char.IsAsciiLetter(path[0]);
}
