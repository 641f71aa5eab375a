using Keel.Core.Artifacts;
using Keel.Core.Errors;

namespace Keel.Data.Content;

/// <summary>Where dataset content lives in the artifact store, for code outside the content store (a server checking a manifest before it records a version).</summary>
public static class ContentPaths
{
    /// <summary>The artifact path of a manifest object.</summary>
    public static string Manifest(string digest) => ContentLayout.Manifest(digest);

    /// <summary>True when the artifact store holds the manifest object of <paramref name="digest"/>.</summary>
    public static async Task<bool> ManifestExistsAsync(IArtifactStore artifacts, string digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        try
        {
            await using var stream = await artifacts.OpenReadAsync(Manifest(digest), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KeelException e) when (e.Code == ErrorCode.ResourceDoesNotExist)
        {
            return false;
        }
    }
}
