namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// Whether Keel can keep files in a directory, found by trying: a probe file is created and removed
/// in the directory, or (when it does not exist yet) in the nearest existing parent, where Keel
/// would create it. Nothing else is left behind.
/// </summary>
internal sealed record DirectoryProbe(string Path, bool Exists, string CheckedDirectory, string? Problem, long? FreeBytes)
{
    public const long LowSpaceBytes = 1L << 30;

    public static DirectoryProbe Of(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return new(full, false, full, $"{full} is a file, not a directory", null);
        }

        var exists = Directory.Exists(full);
        var existing = full;
        while (!Directory.Exists(existing))
        {
            var parent = System.IO.Path.GetDirectoryName(existing);
            if (parent is null)
            {
                return new(full, false, existing, $"no part of {full} exists", null);
            }

            if (File.Exists(parent))
            {
                return new(full, false, parent, $"{parent} is a file, so {full} cannot be created under it", null);
            }

            existing = parent;
        }

        long? free = null;
        try
        {
            free = new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Some file systems (FUSE, network shares) report no drive figures; writability still counts.
        }

        var probe = System.IO.Path.Combine(existing, $".keel-doctor-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return new(full, exists, existing, null, free);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var what = exists ? full : $"{existing} (where {full} would be created)";
            return new(full, exists, existing, $"{what} is not writable: {e.Message}", free);
        }
    }

    /// <summary>The free space in a reader's unit, e.g. <c>12.3 GiB</c>.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => FormattableString.Invariant($"{bytes / (double)(1L << 30):0.#} GiB"),
        >= 1L << 20 => FormattableString.Invariant($"{bytes / (double)(1L << 20):0.#} MiB"),
        _ => FormattableString.Invariant($"{bytes / 1024.0:0.#} KiB"),
    };
}
