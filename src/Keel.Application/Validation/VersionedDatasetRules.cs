using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Core.Data;
using Keel.Core.Errors;

namespace Keel.Application.Validation;

/// <summary>Argument rules of the versioned-dataset use cases, checked once here so stores can trust their input.</summary>
internal static partial class VersionedDatasetRules
{
    public const int DefaultPage = 100;
    public const int MaxPage = 1000;

    /// <summary>The formats a version can have: three tables, and opaque files.</summary>
    public static readonly string[] Formats = ["csv", "parquet", "jsonl", "files"];

    private const int MaxDescription = 5000;

    // Profiles of wide tables with histograms run to a few hundred KB; a suite result with samples too.
    private const int MaxDocument = 16 * 1024 * 1024;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();

    [GeneratedRegex("^[0-9a-f]{64}$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();

    public static string Name(string? name, string field = "name")
    {
        if (string.IsNullOrEmpty(name))
        {
            throw KeelException.MissingParameter(field);
        }

        return NamePattern().IsMatch(name)
            ? name
            : throw KeelException.InvalidParameter($"Invalid dataset {field} '{name}': use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit (no '/' or '@', which dataset URIs use).");
    }

    public static string Alias(string? alias)
    {
        if (string.IsNullOrEmpty(alias))
        {
            throw KeelException.MissingParameter("alias");
        }

        if (string.Equals(alias, "latest", StringComparison.OrdinalIgnoreCase))
        {
            throw KeelException.InvalidParameter("Invalid alias 'latest': it is reserved for the newest version (datasets:/NAME@latest).");
        }

        return AliasPattern().IsMatch(alias)
            ? alias
            : throw KeelException.InvalidParameter($"Invalid alias '{alias}': use 1-64 letters, digits, '_' or '-', starting with a letter.");
    }

    public static long Version(long? version, string field = "version") =>
        version switch
        {
            null => throw KeelException.MissingParameter(field),
            < 1 => throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {field} {version}: versions are positive integers.")),
            _ => version.Value,
        };

    public static long Version(string? text, string field = "version") =>
        string.IsNullOrEmpty(text) ? throw KeelException.MissingParameter(field)
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v
        : throw KeelException.InvalidParameter($"Invalid {field} '{text}': versions are positive integers.");

    public static int Page(int? maxResults) =>
        maxResults switch
        {
            null => DefaultPage,
            < 1 or > MaxPage => throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid max_results {maxResults}: it must be between 1 and {MaxPage}.")),
            _ => maxResults.Value,
        };

    public static string Digest(string? digest, string field = "manifest_digest")
    {
        if (string.IsNullOrEmpty(digest))
        {
            throw KeelException.MissingParameter(field);
        }

        return DigestPattern().IsMatch(digest)
            ? digest
            : throw KeelException.InvalidParameter($"Invalid {field} '{digest}': expected a BLAKE3 digest of 64 lowercase hex digits.");
    }

    public static NewDatasetVersion Check(NewDatasetVersion v)
    {
        Name(v.Name);
        Digest(v.ManifestDigest);
        if (!Formats.Contains(v.Format, StringComparer.Ordinal))
        {
            throw KeelException.InvalidParameter($"Invalid format '{v.Format}': expected one of {string.Join(", ", Formats)}.");
        }

        NotNegative(v.FileCount, "file_count");
        NotNegative(v.SizeBytes, "size_bytes");
        if (v.RowCount is { } rows)
        {
            NotNegative(rows, "row_count");
        }

        Json(v.Schema, "schema", JsonValueKind.Array);
        Json(v.Profile, "profile", JsonValueKind.Object);
        Json(v.Validation, "validation", JsonValueKind.Object);
        Text(v.Source, "source", 4096);
        Text(v.Description, "description", MaxDescription);
        Text(v.DatasetDescription, "dataset_description", MaxDescription);
        return v;
    }

    public static string? Description(string? description) => Text(description, "description", MaxDescription);

    /// <summary>A JSON document of the expected kind, within the size limit; null passes.</summary>
    public static string? Json(string? text, string field, JsonValueKind kind)
    {
        if (text is null)
        {
            return null;
        }

        Text(text, field, MaxDocument);
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == kind
                ? text
                : throw KeelException.InvalidParameter($"Invalid {field}: expected a JSON {kind.ToString().ToLowerInvariant()}, got a {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"Invalid {field}: not valid JSON ({e.Message}).");
        }
    }

    private static void NotNegative(long value, string field)
    {
        if (value < 0)
        {
            throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {field} {value}: it cannot be negative."));
        }
    }

    private static string? Text(string? text, string field, int max) =>
        text is null || text.Length <= max ? text
        : throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid {field}: {text.Length} characters, more than the {max} allowed."));
}
