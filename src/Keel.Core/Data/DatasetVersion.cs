namespace Keel.Core.Data;

/// <summary>
/// One immutable version of a dataset. Its files live content-addressed in the artifact store under
/// the manifest <see cref="ManifestDigest"/> names; the record keeps what a listing, a diff and
/// monitoring need without reading them.
/// </summary>
/// <param name="Name">The dataset.</param>
/// <param name="Version">The version number, 1 for the first.</param>
/// <param name="ManifestDigest">The BLAKE3 digest (hex) of the version's manifest, its content identity.</param>
/// <param name="Format">csv, parquet, jsonl, or files for anything else.</param>
/// <param name="FileCount">How many files the version holds.</param>
/// <param name="SizeBytes">Their total size.</param>
/// <param name="RowCount">Rows of a table, null for opaque files.</param>
/// <param name="Schema">The table's columns as JSON (<c>[{"name","type"}]</c>), null for opaque files.</param>
/// <param name="Profile">The profile (JSON) taken at add time; null for opaque files, and in listings.</param>
/// <param name="Validation">The validation result (JSON) of the suite that gated the add, or null; null in listings.</param>
/// <param name="Source">Where it was added from (a path or URI), for people.</param>
/// <param name="Description">A note on this version, when given.</param>
/// <param name="CreatedAt">When it was added, in Unix milliseconds.</param>
/// <param name="CreatedBy">Who added it, when known.</param>
/// <param name="Aliases">The aliases that point at this version.</param>
public sealed record DatasetVersion(
    string Name,
    long Version,
    string ManifestDigest,
    string Format,
    long FileCount,
    long SizeBytes,
    long? RowCount,
    string? Schema,
    string? Profile,
    string? Validation,
    string? Source,
    string? Description,
    long CreatedAt,
    string? CreatedBy,
    IReadOnlyList<string> Aliases)
{
    /// <summary>The URI naming exactly this version.</summary>
    public string Uri => DatasetUri.ForVersion(Name, Version);

    /// <summary>
    /// The digest a run's MLflow dataset input carries for this version: the manifest digest's first
    /// 32 hex digits (MLflow allows 36 characters). Lineage finds the runs that read a version by it.
    /// </summary>
    public string InputDigest => ManifestDigest.Length > 32 ? ManifestDigest[..32] : ManifestDigest;
}
