namespace Keel.Cli.Infrastructure;

/// <summary>Where the embedded stores live: <c>--data-dir</c>, then <c>KEEL_DATA_DIR</c>, then <c>~/.keel</c>.</summary>
internal static class DataDirectory
{
    public const string Variable = "KEEL_DATA_DIR";

    public static string Resolve(string? explicitDir)
    {
        var dir = !string.IsNullOrWhiteSpace(explicitDir) ? explicitDir
            : Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } env ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".keel");
        return Path.GetFullPath(ExpandHome(dir));
    }

    /// <summary>MLflow's URI form for an absolute SQLite path: <c>sqlite:////abs/path/keel.db</c>.</summary>
    public static string SqliteUri(string dataDir) => "sqlite:///" + Path.Combine(dataDir, "keel.db");

    public static string ArtifactsUri(string dataDir) => new Uri(Path.Combine(dataDir, "artifacts")).AbsoluteUri;

    // Shells expand "~" only at the start of a word, so "--data-dir=~/x" arrives unexpanded.
    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
