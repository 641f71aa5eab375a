using Keel.Core.Errors;

namespace Keel.Core.Registry;

/// <summary>What a model URI points at.</summary>
public enum ModelUriKind
{
    /// <summary><c>models:/name/3</c></summary>
    Version,

    /// <summary><c>models:/name@champion</c></summary>
    Alias,

    /// <summary><c>models:/name/Production</c>: the latest version in that stage.</summary>
    Stage,

    /// <summary><c>models:/name/latest</c>: the highest version in any stage.</summary>
    Latest,

    /// <summary><c>runs:/run_id/path</c></summary>
    Run,
}

/// <summary>
/// A parsed model URI in MLflow's forms: <c>models:/&lt;name&gt;/&lt;version&gt;</c>,
/// <c>models:/&lt;name&gt;@&lt;alias&gt;</c>, <c>models:/&lt;name&gt;/&lt;stage&gt;</c>,
/// <c>models:/&lt;name&gt;/latest</c> and <c>runs:/&lt;run_id&gt;/&lt;path&gt;</c>.
/// </summary>
/// <param name="Kind">Which form the URI has.</param>
/// <param name="Name">The registered model name; empty for <c>runs:/</c>.</param>
/// <param name="Version">The version of <c>models:/name/3</c>.</param>
/// <param name="Alias">The alias of <c>models:/name@alias</c>.</param>
/// <param name="Stage">The stage of <c>models:/name/Production</c>.</param>
/// <param name="RunId">The run of <c>runs:/run_id/path</c>.</param>
/// <param name="Path">The artifact path within the run (may be empty).</param>
public sealed record ModelUri(ModelUriKind Kind, string Name, long? Version = null, string? Alias = null, ModelStage? Stage = null, string? RunId = null, string? Path = null)
{
    private const string ModelsScheme = "models:/";
    private const string RunsScheme = "runs:/";

    /// <summary>The URI of a model logged to a run: <c>runs:/&lt;run_id&gt;/&lt;path&gt;</c>.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="path">The model's path under the run's artifacts.</param>
    public static string ForRun(string runId, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(runId);
        ArgumentNullException.ThrowIfNull(path);
        return $"{RunsScheme}{runId}/{path.Trim('/')}";
    }

    /// <summary>True when <paramref name="text"/> is in a model-URI scheme (<c>models:/</c> or <c>runs:/</c>), well formed or not.</summary>
    /// <param name="text">Any location text.</param>
    public static bool IsModelUri(string? text) =>
        text is not null && (text.StartsWith(ModelsScheme, StringComparison.Ordinal) || text.StartsWith(RunsScheme, StringComparison.Ordinal));

    /// <summary>Parses a model URI.</summary>
    /// <param name="uri">The URI.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for a missing or malformed URI, listing the accepted forms.</exception>
    public static ModelUri Parse(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri))
        {
            throw KeelException.InvalidParameter("A model URI is required, e.g. models:/<name>/<version> or models:/<name>@<alias>.");
        }

        if (uri.StartsWith(RunsScheme, StringComparison.Ordinal))
        {
            var rest = uri[RunsScheme.Length..].TrimStart('/');
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var runId = slash < 0 ? rest : rest[..slash];
            var path = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
            return runId.Length == 0 ? throw Invalid(uri) : new ModelUri(ModelUriKind.Run, string.Empty, RunId: runId, Path: path);
        }

        if (!uri.StartsWith(ModelsScheme, StringComparison.Ordinal))
        {
            throw Invalid(uri);
        }

        var body = uri[ModelsScheme.Length..].Trim('/');
        var at = body.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var (name, alias) = (body[..at], body[(at + 1)..]);
            return name.Length == 0 || alias.Length == 0 || alias.Contains('/', StringComparison.Ordinal)
                ? throw Invalid(uri)
                : new ModelUri(ModelUriKind.Alias, name, Alias: alias);
        }

        // The name may not contain '/', so the last segment is the version, stage or "latest".
        var last = body.LastIndexOf('/');
        if (last <= 0 || last == body.Length - 1)
        {
            throw Invalid(uri);
        }

        var modelName = body[..last];
        var suffix = body[(last + 1)..];
        if (long.TryParse(suffix, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) && version > 0)
        {
            return new ModelUri(ModelUriKind.Version, modelName, Version: version);
        }

        if (string.Equals(suffix, "latest", StringComparison.OrdinalIgnoreCase))
        {
            return new ModelUri(ModelUriKind.Latest, modelName);
        }

        return ModelStages.TryParse(suffix, out var stage)
            ? new ModelUri(ModelUriKind.Stage, modelName, Stage: stage)
            : throw Invalid(uri);
    }

    private static KeelException Invalid(string uri) => KeelException.InvalidParameter(
        $"Not a valid model URI: '{uri}'. Expected models:/<name>/<version>, models:/<name>/<stage>, models:/<name>/latest, models:/<name>@<alias> or runs:/<run_id>/<path>.");
}
