using Keel.Core.Data;

namespace Keel.Core.Wire;

// Keel's dataset API (/api/2.0/keel/datasets): versioned datasets, their versions and aliases.

/// <summary>Body of adding a version (POST /datasets/{name}/versions): the manifest already written to the artifact store and what was learned from the content.</summary>
public sealed class AddDatasetVersionRequest
{
    /// <summary>BLAKE3 digest (64 hex) of the manifest object in the artifact store.</summary>
    public string? ManifestDigest { get; set; }

    /// <summary>csv, parquet, jsonl or files.</summary>
    public string? Format { get; set; }

    /// <summary>How many files.</summary>
    public long? FileCount { get; set; }

    /// <summary>Their total size in bytes.</summary>
    public long? SizeBytes { get; set; }

    /// <summary>Rows of a table.</summary>
    public long? RowCount { get; set; }

    /// <summary>Columns as JSON text.</summary>
    public string? Schema { get; set; }

    /// <summary>The profile as JSON text.</summary>
    public string? Profile { get; set; }

    /// <summary>The gating suite's validation result as JSON text.</summary>
    public string? Validation { get; set; }

    /// <summary>Where the content came from.</summary>
    public string? Source { get; set; }

    /// <summary>A note on the version.</summary>
    public string? Description { get; set; }

    /// <summary>The dataset's description (set when the add creates the dataset, replaced when given).</summary>
    public string? DatasetDescription { get; set; }
}

/// <summary>What adding a version did.</summary>
public sealed class AddDatasetVersionResponse
{
    /// <summary>The new version, or the unchanged latest one.</summary>
    public DatasetVersion? Version { get; set; }

    /// <summary>False when the content equals the latest version's and nothing was recorded.</summary>
    public bool Created { get; set; }
}

/// <summary>Body of changing a dataset (PATCH /datasets/{name}): an absent field is kept, "" clears it.</summary>
public sealed class UpdateDatasetRequest
{
    /// <summary>The new description.</summary>
    public string? Description { get; set; }

    /// <summary>The Great Expectations suite (JSON text) that gates new versions.</summary>
    public string? Suite { get; set; }
}

/// <summary>Body of pointing an alias at a version (PUT /datasets/{name}/aliases/{alias}).</summary>
public sealed class SetDatasetAliasRequest
{
    /// <summary>The version number.</summary>
    public long? Version { get; set; }
}

/// <summary>One dataset.</summary>
public sealed class DatasetResponse
{
    /// <summary>The dataset; absent after a delete.</summary>
    public VersionedDataset? Dataset { get; set; }
}

/// <summary>A page of datasets.</summary>
public sealed class DatasetsResponse
{
    /// <summary>Datasets by name.</summary>
    public List<VersionedDataset>? Datasets { get; set; }

    /// <summary>The token of the next page, absent on the last.</summary>
    public string? NextPageToken { get; set; }
}

/// <summary>One dataset version.</summary>
public sealed class DatasetVersionResponse
{
    /// <summary>The version.</summary>
    public DatasetVersion? Version { get; set; }
}

/// <summary>A page (or a list) of dataset versions.</summary>
public sealed class DatasetVersionsResponse
{
    /// <summary>Versions, newest first, without profiles.</summary>
    public List<DatasetVersion>? Versions { get; set; }

    /// <summary>The token of the next page, absent on the last.</summary>
    public string? NextPageToken { get; set; }
}

/// <summary>Audit events of datasets.</summary>
public sealed class DatasetEventsResponse
{
    /// <summary>Events, newest first.</summary>
    public List<DatasetEvent>? Events { get; set; }
}
