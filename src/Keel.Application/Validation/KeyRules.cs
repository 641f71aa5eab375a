using System.Text.RegularExpressions;
using Keel.Core.Errors;
using Keel.Core.Wire;

namespace Keel.Application.Validation;

/// <summary>
/// MLflow's name rules for metric, param and tag keys (mlflow/utils/validation.py): a restricted
/// character set, and a key that is already a normalised relative path, because file-based stores
/// (and artifact paths derived from keys) treat keys as file names.
/// </summary>
internal static partial class KeyRules
{
    private const string BadCharacters =
        "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).";

    [GeneratedRegex(@"^[/\w.\- :]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();

    public static void ValidateMetricKey(string? key) => Validate(key, "metric");

    public static void ValidateParamKey(string? key) => Validate(key, "parameter");

    public static void ValidateTagKey(string? key) => Validate(key, "tag");

    private static void Validate(string? key, string kind)
    {
        if (key is null)
        {
            throw KeelException.MissingParameter("key");
        }

        if (!ValidName().IsMatch(key))
        {
            throw KeelException.InvalidParameter($"Invalid {kind} name: '{key}'. {BadCharacters}");
        }

        var normalised = NormalisePosixPath(key);
        if (normalised != key || normalised == "." || normalised.StartsWith("..", StringComparison.Ordinal) || normalised.StartsWith('/'))
        {
            throw KeelException.InvalidParameter(
                $"Invalid {kind} name: '{key}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '{normalised}'");
        }

        Limits.CheckLength(kind switch { "metric" => "Metric name", "parameter" => "Param key", _ => "Tag key" }, key, RequestLimits.MaxKeyLength);
    }

    /// <summary>Python's <c>posixpath.normpath</c>, which MLflow compares keys against.</summary>
    internal static string NormalisePosixPath(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        // Fast path: the common key (no leading slash, no empty, '.' or '..' segment) is already normal.
        if (path[0] != '/' && path[^1] != '/' && !path.Contains("//", StringComparison.Ordinal) && !HasDotSegment(path))
        {
            return path;
        }

        // POSIX keeps exactly two leading slashes, collapses three or more to one.
        var leading = path.StartsWith("//", StringComparison.Ordinal) && !path.StartsWith("///", StringComparison.Ordinal) ? 2 : path[0] == '/' ? 1 : 0;
        var parts = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment != ".." || (leading == 0 && parts.Count == 0) || (parts.Count > 0 && parts[^1] == ".."))
            {
                parts.Add(segment);
            }
            else if (parts.Count > 0)
            {
                parts.RemoveAt(parts.Count - 1);
            }
        }

        var joined = new string('/', leading) + string.Join('/', parts);
        return joined.Length == 0 ? "." : joined;
    }

    private static bool HasDotSegment(string path)
    {
        foreach (var segment in path.AsSpan().Split('/'))
        {
            var s = path.AsSpan()[segment];
            if (s is "." or "..")
            {
                return true;
            }
        }

        return false;
    }
}
