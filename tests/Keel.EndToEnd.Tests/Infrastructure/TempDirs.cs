namespace Keel.EndToEnd.Tests.Infrastructure;

public static class TempDirs
{
    public static string Create(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A best-effort clean-up of a temp dir; leftovers are harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
