using System.Globalization;
using Keel.Core.Errors;

namespace Keel.Core.Data;

/// <summary>
/// A parsed dataset URI: <c>datasets:/&lt;name&gt;/&lt;version&gt;</c>, <c>datasets:/&lt;name&gt;@&lt;alias&gt;</c>
/// or <c>datasets:/&lt;name&gt;@latest</c>, each optionally followed by a path inside the version
/// (<c>datasets:/images/2/train/</c>), the way model URIs name registry versions. A moving form
/// (alias, latest) is resolved to a version once, when a run, change or pipeline step is prepared,
/// and the version is what gets stored.
/// </summary>
/// <param name="Kind">Which form the URI has.</param>
/// <param name="Name">The dataset name.</param>
/// <param name="Version">The version of <c>datasets:/name/3</c>.</param>
/// <param name="Alias">The alias of <c>datasets:/name@alias</c>.</param>
/// <param name="Path">A file or folder inside the version; empty for the whole version.</param>
public sealed record DatasetUri(DatasetUriKind Kind, string Name, long? Version = null, string? Alias = null, string Path = "")
{
    /// <summary>The scheme prefix.</summary>
    public const string Scheme = "datasets:/";

    private const string Latest = "latest";

    /// <summary>True when <paramref name="text"/> is in the dataset-URI scheme, well formed or not.</summary>
    /// <param name="text">Any location text.</param>
    public static bool IsDatasetUri(string? text) => text is not null && text.StartsWith(Scheme, StringComparison.Ordinal);

    /// <summary>The URI of one version (and optionally a path inside it).</summary>
    /// <param name="name">The dataset.</param>
    /// <param name="version">The version, 1 or more.</param>
    /// <param name="path">A path inside the version, or empty.</param>
    public static string ForVersion(string name, long version, string path = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentNullException.ThrowIfNull(path);
        var tail = path.Trim('/');
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}{name}/{version}") + (tail.Length == 0 ? string.Empty : "/" + tail);
    }

    /// <summary>Parses a dataset URI.</summary>
    /// <param name="uri">The URI.</param>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE for a missing or malformed URI, listing the accepted forms.</exception>
    public static DatasetUri Parse(string? uri)
    {
        if (string.IsNullOrWhiteSpace(uri) || !IsDatasetUri(uri))
        {
            throw Invalid(uri);
        }

        var body = uri[Scheme.Length..].TrimStart('/');
        var slash = body.IndexOf('/', StringComparison.Ordinal);
        var head = slash < 0 ? body : body[..slash];
        var rest = slash < 0 ? string.Empty : body[(slash + 1)..];

        var at = head.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            var (name, alias) = (head[..at], head[(at + 1)..]);
            if (name.Length == 0 || alias.Length == 0 || alias.Contains('@', StringComparison.Ordinal))
            {
                throw Invalid(uri);
            }

            var path = CleanPath(rest, uri);
            return string.Equals(alias, Latest, StringComparison.OrdinalIgnoreCase)
                ? new DatasetUri(DatasetUriKind.Latest, name, Path: path)
                : new DatasetUri(DatasetUriKind.Alias, name, Alias: alias, Path: path);
        }

        // The name holds no '/': the next segment is the version (or "latest"), the remainder a path.
        var next = rest.IndexOf('/', StringComparison.Ordinal);
        var selector = next < 0 ? rest : rest[..next];
        var inside = CleanPath(next < 0 ? string.Empty : rest[(next + 1)..], uri);
        if (head.Length == 0 || selector.Length == 0)
        {
            throw Invalid(uri);
        }

        if (long.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
        {
            return new DatasetUri(DatasetUriKind.Version, head, Version: version, Path: inside);
        }

        return string.Equals(selector, Latest, StringComparison.OrdinalIgnoreCase)
            ? new DatasetUri(DatasetUriKind.Latest, head, Path: inside)
            : throw Invalid(uri);
    }

    /// <summary>The URI in its canonical form.</summary>
    public override string ToString()
    {
        var head = Kind switch
        {
            DatasetUriKind.Version => string.Create(CultureInfo.InvariantCulture, $"{Scheme}{Name}/{Version}"),
            DatasetUriKind.Alias => $"{Scheme}{Name}@{Alias}",
            _ => $"{Scheme}{Name}@{Latest}",
        };
        return Path.Length == 0 ? head : head + "/" + Path;
    }

    // Paths inside a version are relative and never climb out of it.
    private static string CleanPath(string path, string uri)
    {
        var trimmed = path.Trim('/');
        foreach (var segment in trimmed.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (segment is "." or "..")
            {
                throw KeelException.InvalidParameter($"Not a valid dataset URI: '{uri}'. A path inside a dataset version may not contain '.' or '..' segments.");
            }
        }

        return trimmed;
    }

    private static KeelException Invalid(string? uri) => KeelException.InvalidParameter(
        $"Not a valid dataset URI: '{uri}'. Expected datasets:/<name>/<version>, datasets:/<name>@<alias> or datasets:/<name>@latest, optionally followed by /<path inside the version>.");
}
