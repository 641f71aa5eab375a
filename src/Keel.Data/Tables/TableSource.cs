using Keel.Core.Errors;

namespace Keel.Data.Tables;

/// <summary>
/// One logical table: one or more files of the same format read as a single table (files in the
/// order given; rows keep that order, which ordered checks and row indexes rely on).
/// </summary>
/// <param name="Files">Absolute or relative file paths, at least one.</param>
/// <param name="Format">The format every file shares.</param>
public sealed record TableSource(IReadOnlyList<string> Files, TableFormat Format)
{
    /// <summary>
    /// The format shared by every file, from the file extensions, or null when the files are not
    /// one table (empty list, an unknown extension, or mixed formats).
    /// </summary>
    public static TableSource? TryDetect(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            return null;
        }

        TableFormat? shared = null;
        foreach (var file in files)
        {
            var format = FormatOf(file);
            if (format is null || (shared is not null && shared != format))
            {
                return null;
            }

            shared = format;
        }

        return new TableSource(files, shared!.Value);
    }

    /// <summary>
    /// A table from one file, or from every tabular file under a directory (sorted by path,
    /// hidden files skipped). Throws an INVALID_PARAMETER_VALUE naming the path when it does not
    /// exist, holds no tabular file, or mixes formats.
    /// </summary>
    public static TableSource Open(string fileOrDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileOrDirectory);
        if (File.Exists(fileOrDirectory))
        {
            return TryDetect([fileOrDirectory])
                ?? throw KeelException.InvalidParameter(
                    $"'{fileOrDirectory}' is not a table: expected a .csv, .tsv, .parquet, .jsonl or .ndjson file.");
        }

        if (!Directory.Exists(fileOrDirectory))
        {
            throw KeelException.InvalidParameter($"'{fileOrDirectory}' does not exist or cannot be read.");
        }

        List<string> files;
        try
        {
            files = Directory.EnumerateFiles(fileOrDirectory, "*", SearchOption.AllDirectories)
                .Where(f => !IsHidden(fileOrDirectory, f))
                .Where(f => FormatOf(f) is not null)
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw KeelException.InvalidParameter($"'{fileOrDirectory}' cannot be read: {e.Message}");
        }

        if (files.Count == 0)
        {
            throw KeelException.InvalidParameter(
                $"'{fileOrDirectory}' holds no table file (.csv, .tsv, .parquet, .jsonl or .ndjson).");
        }

        return TryDetect(files)
            ?? throw KeelException.InvalidParameter(
                $"'{fileOrDirectory}' mixes table formats ({string.Join(", ", files.Select(f => FormatOf(f)).Distinct())}); one table needs one format.");
    }

    /// <summary>The table format an extension names (a trailing <c>.gz</c> is looked through), or null.</summary>
    public static TableFormat? FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".gz", StringComparison.Ordinal))
        {
            name = name[..^3];
        }

        return Path.GetExtension(name) switch
        {
            ".csv" or ".tsv" => TableFormat.Csv,
            ".parquet" or ".pq" => TableFormat.Parquet,
            ".jsonl" or ".ndjson" => TableFormat.JsonLines,
            _ => null,
        };
    }

    private static bool IsHidden(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file);
        return relative.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'));
    }
}
