using Keel.Core.Configuration;

namespace Keel.Hosting;

/// <summary>
/// The data directory of the embedded stores and its layout, for <c>keel server</c> and the CLI alike:
/// <c>--data-dir</c>, then <c>KEEL_DATA_DIR</c>, then <c>~/.keel</c>; SQLite metadata in
/// <c>keel.db</c>, artifacts under <c>artifacts/</c>.
/// </summary>
public static class DataDirectory
{
    /// <summary>The absolute data directory: <paramref name="explicitDir"/>, else <c>KEEL_DATA_DIR</c> (checked), else <c>~/.keel</c>.</summary>
    /// <param name="explicitDir">The <c>--data-dir</c> value, or null.</param>
    public static string Resolve(string? explicitDir)
    {
        var dir = !string.IsNullOrWhiteSpace(explicitDir) ? explicitDir
            : KeelEnvironment.FilePath(KeelEnvironment.DataDir)
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".keel");
        return Path.GetFullPath(ExpandHome(dir));
    }

    /// <summary>MLflow's URI form for the SQLite database of a data dir: <c>sqlite:////abs/path/keel.db</c>.</summary>
    /// <param name="dataDir">An absolute data directory.</param>
    public static string SqliteUri(string dataDir) => "sqlite:///" + Path.Combine(dataDir, "keel.db");

    /// <summary>The <c>file:</c> URI of a data dir's artifact folder.</summary>
    /// <param name="dataDir">An absolute data directory.</param>
    public static string ArtifactsUri(string dataDir) => new Uri(Path.Combine(dataDir, "artifacts")).AbsoluteUri;

    // Shells expand "~" only at the start of a word, so "--data-dir=~/x" arrives unexpanded.
    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
