namespace Keel.Core.IO;

/// <summary>
/// Creates directories and files that only the owning user can read (0700 / 0600 on Unix): the data
/// directory holds every run, model and logged prediction, which other accounts on the machine
/// must not read. On Windows the inherited ACLs of the user's profile apply.
/// </summary>
public static class OwnerOnly
{
    /// <summary>rwx for the owner only.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw for the owner only.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> and each missing parent as owner-only; existing directories keep their mode.</summary>
    public static DirectoryInfo CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }

        // Directory.CreateDirectory(path, mode) gives the mode to the last directory only.
        var missing = new Stack<string>();
        for (var dir = Path.GetFullPath(path); !string.IsNullOrEmpty(dir) && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
        {
            missing.Push(dir);
        }

        while (missing.TryPop(out var dir))
        {
            Directory.CreateDirectory(dir, DirectoryMode);
        }

        return new DirectoryInfo(path);
    }

    /// <summary>Opens <paramref name="path"/> for appending, creating it as owner-only when it does not exist.</summary>
    public static FileStream OpenAppend(string path)
    {
        var options = new FileStreamOptions { Mode = System.IO.FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        return new FileStream(path, options);
    }
}
