namespace Keel.Storage.Sqlite.Tests;

/// <summary>A temp directory holding test databases (with their -wal/-shm files), removed on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("keel-sqlite-").FullName;
    private int _count;

    public string NewPath() => Path.Combine(_directory, $"tracking-{Interlocked.Increment(ref _count)}.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the test; the OS temp cleaner removes it later.
        }
    }
}
