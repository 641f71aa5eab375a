using System.IO.Hashing;
using Keel.Core.Data;
using Keel.Core.Pipelines.Definition;
using Keel.Core.Registry;
using Keel.Core.Tracking;

namespace Keel.Application.Pipelines;

/// <summary>
/// Pins moving references when a step is about to run (rule 2, "resolve once, store the result"):
/// <c>datasets:/d@latest</c> or <c>@alias</c> becomes the version it names, with its manifest digest as
/// identity; <c>models:/m@alias</c> or <c>models:/m/latest</c> becomes <c>models:/m/N</c>; a local file's
/// identity is the hash of its bytes (a directory's, of every file's path and bytes), so an edited
/// file can never hit a stale cache entry.
/// </summary>
public sealed class PipelineInputResolver(DatasetService? datasets, IModelRegistryStore? registry, ITrackingStore? tracking)
{
    /// <summary>Pins <paramref name="value"/> taken as a <paramref name="kind"/>.</summary>
    /// <param name="value">The input's value (parameters already filled in).</param>
    /// <param name="kind">The kind the step takes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<ResolvedInput> ResolveAsync(string value, PipelineValueKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (DatasetUri.IsDatasetUri(value) && datasets is not null)
        {
            var version = await datasets.ResolveAsync(value, cancellationToken).ConfigureAwait(false);
            var parsed = DatasetUri.Parse(value);
            var pinned = DatasetUri.ForVersion(version.Name, version.Version, parsed.Path);
            return new ResolvedInput(pinned, $"{pinned}#{version.ManifestDigest}");
        }

        if (value.StartsWith("models:/", StringComparison.Ordinal) && registry is not null && tracking is not null)
        {
            var resolved = await ModelUriResolver.ResolveAsync(registry, tracking, value, cancellationToken).ConfigureAwait(false);
            if (resolved.Version is { } v)
            {
                var pinned = $"models:/{v.Name}/{v.Version}";
                return new ResolvedInput(pinned, $"{pinned}#{v.Source}");
            }
        }

        if (kind is PipelineValueKind.File or PipelineValueKind.Dataset && !value.Contains("://", StringComparison.Ordinal) && !value.Contains(":/", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(value);
            if (File.Exists(path) || Directory.Exists(path))
            {
                return new ResolvedInput(path, $"{path}#{await ContentHashAsync(path, cancellationToken).ConfigureAwait(false)}");
            }
        }

        return new ResolvedInput(value, value);
    }

    /// <summary>XxHash128 of a file's bytes, or of a directory's files (relative path and bytes, in ordinal order).</summary>
    /// <param name="path">A file or directory.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public static async Task<string> ContentHashAsync(string path, CancellationToken cancellationToken)
    {
        // XxHash128 as for dataset hashes (docs/training.md): it names content, it is not a defence against tampering.
        var hash = new XxHash128();
        var files = File.Exists(path) ? [path] : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var buffer = new byte[1 << 16];
        foreach (var file in files)
        {
            if (files.Length > 1 || !File.Exists(path))
            {
                hash.Append(System.Text.Encoding.UTF8.GetBytes(Path.GetRelativePath(path, file) + "\n"));
            }

            await using var stream = File.OpenRead(file);
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
            }
        }

        return "xxh128:" + Convert.ToHexStringLower(hash.GetCurrentHash());
    }
}
