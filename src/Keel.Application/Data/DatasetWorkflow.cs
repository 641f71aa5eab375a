using System.Text.Json;
using System.Text.Json.Nodes;
using Keel.Application.OpenLineage;
using Keel.Core.Artifacts;
using Keel.Core.Data;
using Keel.Core.Errors;
using Keel.Data.Content;
using Keel.Data.Profiling;
using Keel.Data.Tables;
using Keel.Data.Validation;

namespace Keel.Application.Data;

/// <summary>
/// The dataset use cases that touch content, run where the files are (the CLI, the SDK): add
/// (gate, snapshot, profile, record), check out, get, diff and validate. Content goes to the
/// artifact store through <see cref="ContentStore"/> (locally or through a server's artifact API);
/// metadata through <see cref="DatasetService"/>. Each add and validation emits OpenLineage events
/// when configured.
/// </summary>
public sealed class DatasetWorkflow : IAsyncDisposable
{
    private readonly DatasetService _datasets;
    private readonly ContentStore _content;
    private readonly OpenLineageEmitter _lineage;
    private readonly TimeProvider _time;

    /// <param name="datasets">Dataset metadata (embedded or over HTTP).</param>
    /// <param name="artifacts">Where content objects go.</param>
    /// <param name="cacheDirectory">Local caches: stat cache, chunk index, checkouts.</param>
    /// <param name="lineage">Where OpenLineage events go; from the environment when null.</param>
    /// <param name="time">The clock for events.</param>
    public DatasetWorkflow(DatasetService datasets, IArtifactStore artifacts, string cacheDirectory, OpenLineageEmitter? lineage = null, TimeProvider? time = null)
    {
        _datasets = datasets ?? throw new ArgumentNullException(nameof(datasets));
        _content = new ContentStore(artifacts, cacheDirectory);
        _lineage = lineage ?? new OpenLineageEmitter(OpenLineageSettings.FromEnvironment());
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The format name a version records for a set of files.</summary>
    public static string FormatOf(TableSource? table) => table?.Format switch
    {
        TableFormat.Csv => "csv",
        TableFormat.Parquet => "parquet",
        TableFormat.JsonLines => "jsonl",
        _ => "files",
    };

    /// <summary>
    /// Adds <paramref name="path"/> (a file or a directory) as the next version of <paramref name="name"/>.
    /// A dataset with a suite checks the files first: a failed critical expectation refuses them and
    /// nothing is stored. Content equal to the latest version records nothing and skips the profile.
    /// </summary>
    /// <param name="path">A file or a directory.</param>
    /// <param name="name">The dataset.</param>
    /// <param name="description">The dataset's description, when given.</param>
    /// <param name="actor">Who adds it.</param>
    /// <param name="progress">Hashing and upload progress.</param>
    /// <param name="cancellationToken">Cancels the add.</param>
    /// <param name="suite">A suite (JSON) to gate with and keep on the dataset from now on, instead of the stored one.</param>
    public async Task<DatasetAddOutcome> AddAsync(
        string path, string name, string? description, string? actor, IProgress<ContentProgress>? progress, CancellationToken cancellationToken, string? suite = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var datasetName = Validation.VersionedDatasetRules.Name(name);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw KeelException.InvalidParameter($"Cannot add '{path}': no such file or directory.");
        }

        var existing = await _datasets.Store.FindDatasetAsync(datasetName, cancellationToken).ConfigureAwait(false);
        var table = TableSource.TryDetect(SourceFiles(path));
        var runId = Guid.CreateVersion7();
        await _lineage.EmitAsync(_lineage.Events.RunEvent("START", runId, "keel.data.add", [_lineage.Events.File(path)], [], _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        try
        {
            return await AddStartedAsync(path, datasetName, description, actor, progress, suite, existing, table, runId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // A started run always ends: consumers would otherwise show the add as running forever.
            await _lineage.EmitAsync(
                _lineage.Events.RunEvent(e is OperationCanceledException ? "ABORT" : "FAIL", runId, "keel.data.add", [_lineage.Events.File(path)], [], _time.GetUtcNow(), e.Message),
                CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<DatasetAddOutcome> AddStartedAsync(
        string path, string datasetName, string? description, string? actor, IProgress<ContentProgress>? progress, string? suite, VersionedDataset? existing, TableSource? table, Guid runId,
        CancellationToken cancellationToken)
    {
        // The gate runs on the files where they are, before anything is uploaded.
        SuiteValidationResult? validation = null;
        if ((suite ?? existing?.Suite) is { } suiteJson)
        {
            if (table is null)
            {
                throw KeelException.InvalidParameter($"Dataset '{datasetName}' has a validation suite, but '{path}' is not a table (CSV, Parquet or JSON Lines).");
            }

            validation = await new SuiteValidator().ValidateAsync(table, ExpectationSuite.Parse(suiteJson), null, cancellationToken).ConfigureAwait(false);
            if (validation.HasCriticalFailure)
            {
                await _lineage.EmitAsync(
                    _lineage.Events.RunEvent("FAIL", runId, "keel.data.add", [_lineage.Events.File(path, Assertions(validation))], [], _time.GetUtcNow(), "A critical expectation failed; the version was refused."),
                    cancellationToken).ConfigureAwait(false);
                return new DatasetAddOutcome(null, false, null, null, validation);
            }
        }

        var manifest = await _content.SnapshotAsync(path, progress, cancellationToken).ConfigureAwait(false);
        if (existing is { LatestVersion: > 0 } && await _datasets.Store.FindVersionAsync(datasetName, existing.LatestVersion, cancellationToken).ConfigureAwait(false) is { } latest
            && latest.ManifestDigest == manifest.Digest)
        {
            await _lineage.EmitAsync(
                _lineage.Events.RunEvent("COMPLETE", runId, "keel.data.add", [_lineage.Events.File(path)], [_lineage.Events.Dataset(latest)], _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            // Nothing new to record, but what the command said about the dataset still holds.
            await KeepSettingsAsync(datasetName, description, suite, actor, cancellationToken).ConfigureAwait(false);
            return new DatasetAddOutcome(latest, false, manifest, null, validation);
        }

        TableProfile? profile = table is null ? null : await new TableProfiler().ProfileAsync(table, null, cancellationToken).ConfigureAwait(false);
        var added = await _datasets.AddVersionAsync(
            new NewDatasetVersion(
                datasetName, manifest.Digest, FormatOf(table), manifest.FileCount, manifest.TotalBytes, profile?.RowCount, SchemaOf(profile), profile?.ToJson(),
                validation?.ToJson(), Path.GetFullPath(path), null, description),
            actor,
            cancellationToken).ConfigureAwait(false);
        await KeepSettingsAsync(datasetName, null, suite, actor, cancellationToken).ConfigureAwait(false);
        await _lineage.EmitAsync(
            _lineage.Events.RunEvent("COMPLETE", runId, "keel.data.add", [_lineage.Events.File(path, validation is null ? null : Assertions(validation))], [_lineage.Events.Dataset(added.Version)], _time.GetUtcNow()),
            cancellationToken).ConfigureAwait(false);
        return new DatasetAddOutcome(added.Version, added.Created, manifest, profile, validation);
    }

    /// <summary>
    /// A local, read-only copy of what <paramref name="uri"/> names (cached under the data dir and
    /// reused), with the version it resolved to; the path is the single file of a one-file version,
    /// else the folder (or the file or folder a path inside the URI names).
    /// </summary>
    public async Task<(string LocalPath, DatasetVersion Version)> CheckoutAsync(string uri, IProgress<ContentProgress>? progress, CancellationToken cancellationToken)
    {
        var parsed = DatasetUri.Parse(uri);
        var version = await _datasets.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
        var manifest = await _content.ReadManifestAsync(version.ManifestDigest, cancellationToken).ConfigureAwait(false);
        var local = await _content.CheckoutAsync(manifest, progress, cancellationToken).ConfigureAwait(false);
        if (parsed.Path.Length == 0)
        {
            return (local, version);
        }

        var root = manifest.IsSingleFile ? Path.GetDirectoryName(local)! : local;
        var inside = Path.Combine(root, parsed.Path.Replace('/', Path.DirectorySeparatorChar));
        return File.Exists(inside) || Directory.Exists(inside)
            ? (inside, version)
            : throw KeelException.NotFound($"'{parsed.Path}' is not in {version.Uri}.");
    }

    /// <summary>Writes the files <paramref name="uri"/> names to <paramref name="destination"/>, checking every digest.</summary>
    public async Task<DatasetVersion> GetAsync(string uri, string destination, IProgress<ContentProgress>? progress, CancellationToken cancellationToken)
    {
        var parsed = DatasetUri.Parse(uri);
        var version = await _datasets.ResolveAsync(uri, cancellationToken).ConfigureAwait(false);
        var manifest = await _content.ReadManifestAsync(version.ManifestDigest, cancellationToken).ConfigureAwait(false);
        await _content.MaterializeAsync(manifest, destination, parsed.Path.Length == 0 ? null : parsed.Path, progress, cancellationToken).ConfigureAwait(false);
        return version;
    }

    /// <summary>Compares two versions: files from their manifests, columns and rows from their profiles.</summary>
    public async Task<DatasetDiff> DiffAsync(string fromUri, string toUri, CancellationToken cancellationToken)
    {
        var from = await _datasets.ResolveAsync(fromUri, cancellationToken).ConfigureAwait(false);
        var to = await _datasets.ResolveAsync(toUri, cancellationToken).ConfigureAwait(false);
        var a0 = await _content.ReadManifestAsync(from.ManifestDigest, cancellationToken).ConfigureAwait(false);
        var b0 = await _content.ReadManifestAsync(to.ManifestDigest, cancellationToken).ConfigureAwait(false);

        // Two single-file versions are one file that changed, whatever it was called when added.
        var files = a0.IsSingleFile && b0.IsSingleFile
            ? (a0.Files[0].Digest == b0.Files[0].Digest
                ? new ManifestComparison([], [], [], 1)
                : new ManifestComparison([], [], [new ManifestFileChange(SingleName(a0, b0), a0.Files[0].Size, b0.Files[0].Size, a0.Files[0].Digest, b0.Files[0].Digest)], 0))
            : ManifestDiff.Compare(a0, b0);
        var a = Columns(from.Schema);
        var b = Columns(to.Schema);
        return new DatasetDiff(
            from,
            to,
            files,
            [.. b.Where(c => !a.ContainsKey(c.Key)).Select(c => (c.Key, c.Value))],
            [.. a.Where(c => !b.ContainsKey(c.Key)).Select(c => (c.Key, c.Value))],
            [.. a.Where(c => b.TryGetValue(c.Key, out var t) && t != c.Value).Select(c => (c.Key, c.Value, b[c.Key]))]);
    }

    /// <summary>Validates a table (a file, folder or dataset URI) against a suite, emitting the assertions as OpenLineage.</summary>
    public async Task<SuiteValidationResult> ValidateAsync(string pathOrUri, ExpectationSuite suite, ResultFormat? format, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suite);
        DatasetVersion? version = null;
        var path = pathOrUri;
        if (DatasetUri.IsDatasetUri(pathOrUri))
        {
            (path, version) = await CheckoutAsync(pathOrUri, null, cancellationToken).ConfigureAwait(false);
        }

        var result = await new SuiteValidator().ValidateAsync(TableSource.Open(path), suite, format, cancellationToken).ConfigureAwait(false);
        // A JSON node belongs to one event, so each event gets its own copy of the input.
        JsonObject Input() => version is null ? _lineage.Events.File(path, Assertions(result)) : _lineage.Events.Dataset(version, Assertions(result));
        var runId = Guid.CreateVersion7();
        await _lineage.EmitAsync(_lineage.Events.RunEvent("START", runId, "keel.data.validate", [Input()], [], _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        await _lineage.EmitAsync(_lineage.Events.RunEvent("COMPLETE", runId, "keel.data.validate", [Input()], [], _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>The table behind a path or dataset URI, for profiling or suggesting a suite.</summary>
    public async Task<TableSource> OpenTableAsync(string pathOrUri, CancellationToken cancellationToken) =>
        TableSource.Open(DatasetUri.IsDatasetUri(pathOrUri) ? (await CheckoutAsync(pathOrUri, null, cancellationToken).ConfigureAwait(false)).LocalPath : pathOrUri);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _content.DisposeAsync().ConfigureAwait(false);
        _lineage.Dispose();
    }

    /// <summary>The OpenLineage assertions of a validation result.</summary>
    public static IReadOnlyList<LineageAssertion> Assertions(SuiteValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return [.. result.Results.Select(r => new LineageAssertion(
            r.Expectation.Type,
            r.Success,
            r.Expectation.Kwargs["column"] is JsonValue column && column.TryGetValue<string>(out var name) ? name : null,
            r.Expectation.Severity == ExpectationConfiguration.Critical ? "error" : "warn",
            r.Result["observed_value"]?.ToJsonString()))];
    }

    /// <summary>Columns and types as a version records them.</summary>
    public static string? SchemaOf(TableProfile? profile) =>
        profile is null ? null : new JsonArray([.. profile.Columns.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.LogicalType })]).ToJsonString();

    private async Task KeepSettingsAsync(string name, string? description, string? suite, string? actor, CancellationToken cancellationToken)
    {
        if (suite is not null || description is not null)
        {
            await _datasets.UpdateAsync(name, description, suite, actor, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string SingleName(DatasetManifest a, DatasetManifest b) =>
        a.Files[0].Path == b.Files[0].Path ? a.Files[0].Path : $"{a.Files[0].Path} → {b.Files[0].Path}";

    private static Dictionary<string, string> Columns(string? schema)
    {
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        if (schema is not null && JsonNode.Parse(schema) is JsonArray array)
        {
            foreach (var c in array.OfType<JsonObject>())
            {
                columns[(string?)c["name"] ?? string.Empty] = (string?)c["type"] ?? string.Empty;
            }
        }

        return columns;
    }

    private static List<string> SourceFiles(string path) =>
        File.Exists(path) ? [path] : [.. Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
}
