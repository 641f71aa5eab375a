namespace Keel.Core.Data;

/// <summary>A version to add: its content identity and what was learned from it at add time.</summary>
/// <param name="Name">The dataset; created with the first version.</param>
/// <param name="ManifestDigest">The BLAKE3 digest (hex) of the manifest already written to the artifact store.</param>
/// <param name="Format">csv, parquet, jsonl or files.</param>
/// <param name="FileCount">How many files.</param>
/// <param name="SizeBytes">Their total size.</param>
/// <param name="RowCount">Rows of a table, else null.</param>
/// <param name="Schema">Columns as JSON, else null.</param>
/// <param name="Profile">The profile as JSON, else null.</param>
/// <param name="Validation">The gating suite's result as JSON, else null.</param>
/// <param name="Source">Where it was added from.</param>
/// <param name="Description">A note on the version.</param>
/// <param name="DatasetDescription">The dataset's description, set when the dataset is created by this add (or replaced when given).</param>
public sealed record NewDatasetVersion(
    string Name,
    string ManifestDigest,
    string Format,
    long FileCount,
    long SizeBytes,
    long? RowCount = null,
    string? Schema = null,
    string? Profile = null,
    string? Validation = null,
    string? Source = null,
    string? Description = null,
    string? DatasetDescription = null);
