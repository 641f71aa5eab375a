using Microsoft.Extensions.FileProviders;

namespace Keel.Ui;

/// <summary>The files of the web UI: embedded in this assembly, or a folder on disk while developing it.</summary>
public static class UiAssets
{
    /// <summary>
    /// The UI's files. <paramref name="directory"/> (<c>KEEL_UI_DIR</c>, normally
    /// <c>src/Keel.Ui/wwwroot</c>) serves them from disk instead, so an edit shows on reload
    /// without a rebuild.
    /// </summary>
    /// <param name="directory">A folder holding <c>index.html</c>; null for the embedded copy.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist or holds no <c>index.html</c>.</exception>
    public static IFileProvider Open(string? directory = null)
    {
        if (string.IsNullOrEmpty(directory))
        {
            return new ManifestEmbeddedFileProvider(typeof(UiAssets).Assembly, "wwwroot");
        }

        var full = Path.GetFullPath(directory);
        if (!File.Exists(Path.Combine(full, "index.html")))
        {
            throw new DirectoryNotFoundException($"KEEL_UI_DIR '{full}' holds no index.html.");
        }

        return new PhysicalFileProvider(full);
    }
}
