using System.Globalization;
using System.Text.RegularExpressions;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Wire;

namespace Keel.Application.Validation;

/// <summary>Model-registry argument rules of MLflow 2.12.2 (mlflow/utils/validation.py, handlers.py), with its wording.</summary>
internal static partial class RegistryRules
{
    [GeneratedRegex(@"^[\w\-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex AliasName();

    [GeneratedRegex(@"^[vV]\d+$", RegexOptions.CultureInvariant)]
    private static partial Regex VersionLikeAlias();

    public static string RequireName(string? name, string field = "name") => Ids.Require(name, field);

    /// <summary>Versions are decimal strings of positive integers ("1", "2", ...); the wording is MLflow's.</summary>
    public static long RequireVersion(string? version)
    {
        var text = Ids.Require(version, "version");
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw KeelException.InvalidParameter($"Model version must be an integer, got '{text}'");
        }

        return value > 0 ? value : throw KeelException.InvalidParameter($"Model version must be a positive integer, got '{text}'");
    }

    public static string RequireAlias(string? alias)
    {
        var name = Ids.Require(alias, "alias");
        if (!AliasName().IsMatch(name))
        {
            throw KeelException.InvalidParameter(
                $"Invalid alias name: '{name}'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        }

        Limits.CheckLength("Registered model alias name", name, RequestLimits.MaxAliasLength);
        if (string.Equals(name, "latest", StringComparison.OrdinalIgnoreCase))
        {
            throw KeelException.InvalidParameter("'latest' alias name (case insensitive) is reserved.");
        }

        if (VersionLikeAlias().IsMatch(name))
        {
            throw KeelException.InvalidParameter($"Version alias name '{name}' is reserved.");
        }

        return name;
    }

    /// <param name="entity">"Registered model" or "Model version", as MLflow's messages say.</param>
    public static void CheckTag(string entity, string? key, string? value)
    {
        KeyRules.ValidateTagKey(key);
        if (value is null)
        {
            throw KeelException.MissingParameter("value");
        }

        Limits.CheckLength($"{entity} key", key, RequestLimits.MaxRegistryTagKeyLength);
        Limits.CheckLength($"{entity} value", value, RequestLimits.MaxRegistryTagValueLength);
    }

    public static int MaxResults(long? maxResults, int defaultValue, int limit)
    {
        if (maxResults is null)
        {
            return defaultValue;
        }

        var value = maxResults.Value;
        if (value < 1)
        {
            throw KeelException.InvalidParameter(
                $"Invalid value for request parameter max_results. It must be a positive integer, but got value {value}");
        }

        return value <= limit
            ? (int)value
            : throw KeelException.InvalidParameter(
                $"Invalid value for request parameter max_results. It must be at most {limit}, but got value {value}");
    }

    /// <summary>
    /// A local path or file: URI (MLflow's <c>is_local_uri</c>); a <c>file:</c> URI naming another
    /// host is refused (INVALID_PARAMETER_VALUE, MLflow's wording).
    /// </summary>
    public static bool IsLocal(string source) => ArtifactUri.Parse(source).Kind == ArtifactUriKind.Local;

    /// <summary>
    /// A non-local source may not climb with <c>..</c> (MLflow's
    /// <c>_validate_non_local_source_contains_relative_paths</c>); percent-encoding is undone until
    /// stable so <c>%2E%2E</c> cannot hide one.
    /// </summary>
    public static void CheckNoRelativeSegments(string source)
    {
        var decoded = source;
        for (var i = 0; i < 10; i++)
        {
            var next = Uri.UnescapeDataString(decoded);
            if (next == decoded)
            {
                break;
            }

            decoded = next;
        }

        var path = decoded.Split('?', '#')[0];
        if (path.Contains('\0', StringComparison.Ordinal) || path.Split('/', '\\').Any(segment => segment is ".." or "."))
        {
            throw KeelException.InvalidParameter(
                $"Invalid model version source: '{source}'. If supplying a source as an http, https, local file path, ftp, objectstore, or mlflow-artifacts uri, an absolute path must be provided without relative path references present. Please provide an absolute path.");
        }
    }

    public static KeelException LocalSourceRejected(string source) => KeelException.InvalidParameter(
        $"Invalid model version source: '{source}'. To use a local path as a model version source, the run_id request parameter has to be specified and the local path has to be contained within the artifact directory of the run specified by the run_id.");

    /// <summary>The absolute file-system path of a local source or artifact URI.</summary>
    public static string LocalPath(string uri) => Path.GetFullPath(ArtifactUri.Parse(uri).LocalPath!);
}
