using System.IO.Enumeration;
using Keel.Core.Errors;

namespace Keel.Data.Content;

/// <summary>
/// Lists what a path holds. A file gives itself; a directory gives every regular file under it
/// (hidden ones too), with '/'-separated relative paths. Symbolic links: the path given may be one
/// (it is resolved first, as users often link a data folder), but a link inside the tree is
/// refused naming it: following it could leave the tree or loop, and skipping it would silently
/// version less than the user sees. Empty directories are not recorded (a dataset is a set of files).
/// </summary>
internal static class SourceScanner
{
    public static (bool IsSingleFile, string Root, List<SourceFile> Files) Scan(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        FileSystemInfo info = Directory.Exists(full) ? new DirectoryInfo(full) : new FileInfo(full);
        if (!info.Exists)
        {
            throw KeelException.InvalidParameter($"No such file or directory: '{path}'");
        }

        if (info.LinkTarget is not null)
        {
            info = info.ResolveLinkTarget(returnFinalTarget: true) ?? info;
            if (!info.Exists)
            {
                throw KeelException.InvalidParameter($"'{path}' is a symbolic link to nothing");
            }
        }

        if (info is FileInfo file)
        {
            return (true, file.FullName, [new SourceFile(Path.GetFileName(full), file.FullName, file.Length, file.LastWriteTimeUtc.Ticks)]);
        }

        var root = Path.TrimEndingDirectorySeparator(info.FullName);
        var files = ScanDirectory(root, path);
        if (files.Count == 0)
        {
            throw KeelException.InvalidParameter($"Directory '{path}' contains no files");
        }

        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return (false, root, files);
    }

    private static List<SourceFile> ScanDirectory(string root, string displayPath)
    {
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = false,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };
        var prefix = root.Length + 1;
        var enumerable = new FileSystemEnumerable<(SourceFile File, bool IsLink)>(
            root,
            (ref FileSystemEntry entry) =>
            {
                var full = entry.ToFullPath();
                var relative = full[prefix..];
                if (Path.DirectorySeparatorChar != '/')
                {
                    relative = relative.Replace(Path.DirectorySeparatorChar, '/');
                }

                var isLink = (entry.Attributes & FileAttributes.ReparsePoint) != 0;
                return (new SourceFile(relative, full, isLink ? 0 : entry.Length, entry.LastWriteTimeUtc.UtcTicks), isLink);
            },
            options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => !entry.IsDirectory || (entry.Attributes & FileAttributes.ReparsePoint) != 0,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        var files = new List<SourceFile>();
        try
        {
            foreach (var (file, isLink) in enumerable)
            {
                if (isLink)
                {
                    throw KeelException.InvalidParameter(
                        $"'{Path.Combine(displayPath, file.RelativePath)}' is a symbolic link; Keel versions regular files only (copy the target in, or add it separately)");
                }

                if (!RelativePaths.IsSafe(file.RelativePath))
                {
                    throw KeelException.InvalidParameter($"'{file.FullPath}' has a name Keel cannot store portably (it contains '\\')");
                }

                files.Add(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw FileHasher.Unreadable(displayPath, e);
        }

        return files;
    }
}
