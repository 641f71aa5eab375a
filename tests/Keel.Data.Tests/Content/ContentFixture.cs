using Keel.Artifacts;
using Keel.Data.Content;

namespace Keel.Data.Tests.Content;

/// <summary>A temp dir with a local artifact store (counted), a cache dir and helpers to make files.</summary>
public abstract class ContentFixture : IAsyncLifetime
{
    private readonly List<ContentStore> _stores = [];

    protected ContentFixture()
    {
        Root = Directory.CreateTempSubdirectory("keel-content-").FullName;
        Artifacts = new CountingArtifactStore(new LocalArtifactStore(Path.Combine(Root, "artifacts")));
        Store = NewStore("cache");
    }

    protected string Root { get; }

    internal CountingArtifactStore Artifacts { get; }

    protected ContentStore Store { get; }

    /// <summary>An old modification time: files with it are settled for the stat cache.</summary>
    protected static DateTime Old { get; } = new(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }

        Directory.Delete(Root, recursive: true);
    }

    protected ContentStore NewStore(string cacheName)
    {
        var store = new ContentStore(Artifacts, Path.Combine(Root, cacheName));
        _stores.Add(store);
        return store;
    }

    protected string PathOf(string relative) => Path.Combine(Root, relative);

    protected string Write(string relative, byte[] bytes, DateTime? modified = null)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        File.SetLastWriteTimeUtc(path, modified ?? Old);
        return path;
    }

    protected static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    protected static void AssertSameTree(string expected, string actual)
    {
        var left = Directory.EnumerateFiles(expected, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(expected, p)).Order(StringComparer.Ordinal).ToList();
        var right = Directory.EnumerateFiles(actual, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(actual, p)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(left, right);
        foreach (var file in left)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(expected, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, file))), file);
        }
    }
}
