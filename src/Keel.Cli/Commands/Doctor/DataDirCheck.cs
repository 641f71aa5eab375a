using Keel.Core.Backends;
using Keel.Core.Errors;
using Keel.Hosting;

namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// The data directory: resolved as every command resolves it, writable (or creatable), with disk
/// space to spare, and its embedded SQLite database at a schema this keel can open.
/// </summary>
internal static class DataDirCheck
{
    public const string Name = "data-dir";

    public static async Task<CheckResult> RunAsync(DoctorSettings settings, CancellationToken cancellationToken)
    {
        string dir;
        string source;
        try
        {
            (dir, source) = settings.DataDir();
        }
        catch (KeelException e)
        {
            return CheckResult.Fail(Name, e.Message, $"set {Core.Configuration.KeelEnvironment.DataDir} to a directory path, or unset it for ~/.keel");
        }

        var probe = DirectoryProbe.Of(dir);
        var details = new Dictionary<string, object?>
        {
            ["path"] = dir,
            ["source"] = source,
            ["exists"] = probe.Exists,
            ["writable"] = probe.Problem is null,
            ["free_bytes"] = probe.FreeBytes,
        };
        if (probe.Problem is not null)
        {
            var fix = File.Exists(probe.CheckedDirectory) || File.Exists(dir)
                ? $"give a directory instead ({source}: --data-dir DIR or {Core.Configuration.KeelEnvironment.DataDir}), or move the file away"
                : $"make it writable for this user (chown -R \"$(id -un)\" {Quote(probe.CheckedDirectory)}), or use another directory with --data-dir or {Core.Configuration.KeelEnvironment.DataDir}";
            return CheckResult.Fail(Name, probe.Problem, fix, details);
        }

        var found = new List<string> { probe.Exists ? "writable" : "does not exist yet (created on first use)" };
        if (probe.FreeBytes is { } free)
        {
            found.Add(DirectoryProbe.Size(free) + " free");
        }

        (CheckStatus Status, string Finding, string Fix)? problem = probe.FreeBytes < DirectoryProbe.LowSpaceBytes
            ? (CheckStatus.Warn, $"only {DirectoryProbe.Size(probe.FreeBytes.Value)} free on the disk of {dir}",
                "free disk space there, or move the data to a larger disk with --data-dir or KEEL_DATA_DIR")
            : null;

        if (probe.Exists)
        {
            // A running server holds the file exclusively and migrated it when it started; ask it, not the file.
            if (ServerRecord.FindRunning(dir) is { } server)
            {
                found.Add($"database held by keel server pid {server.ProcessId} at {server.Url} (it migrated it at start; see the server check)");
                details["server"] = server.Url.ToString();
            }
            else
            {
                try
                {
                    var database = await KeelBackends.Registry.ProbeMetadataAsync(
                        new MetadataBackendSettings(DataDirectory.SqliteUri(dir), "--data-dir"), settings.Timeout, cancellationToken).ConfigureAwait(false);
                    foreach (var (key, value) in SchemaFinding.Details(database))
                    {
                        details[key] = value;
                    }

                    found.Add(SchemaFinding.State(database));
                    problem = SchemaFinding.Problem(database, $"keel server --data-dir {Quote(dir)}") ?? problem;
                }
                catch (KeelException e)
                {
                    return CheckResult.Fail(Name, e.Message,
                        "stop the other process using the database, or restore keel.db from a backup if it is damaged", details);
                }
            }
        }

        return problem is { } p
            ? new CheckResult(Name, p.Status, p.Finding, p.Fix, details)
            : CheckResult.Ok(Name, $"{dir} ({source}): {string.Join(", ", found)}", details);
    }

    public static string Quote(string path) => path.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$') ? "'" + path.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : path;
}
