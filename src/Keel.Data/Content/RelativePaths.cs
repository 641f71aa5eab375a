namespace Keel.Data.Content;

/// <summary>The rule for a path inside a dataset: '/'-separated, relative, no empty, '.' or '..' segment, no '\' or NUL.</summary>
internal static class RelativePaths
{
    public static bool IsSafe(string path)
    {
        if (path.Length == 0 || path.Contains('\\', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                return false;
            }
        }

        return true;
    }
}
