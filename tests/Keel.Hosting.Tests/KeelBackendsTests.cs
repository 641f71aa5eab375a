using Keel.Core.Errors;

namespace Keel.Hosting.Tests;

/// <summary>The backends Keel ships, opened by URI as the server, the worker and the CLI open them.</summary>
public sealed class KeelBackendsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-backends-").FullName;

    [Fact]
    public async Task A_sqlite_uri_and_its_plain_path_open_one_database_with_every_store()
    {
        var path = Path.Combine(_dir, "sub", "keel.db");
        await using var byUri = KeelBackends.OpenMetadata("sqlite:///" + path);
        await using var byPath = KeelBackends.OpenMetadata(path);

        var id = await byUri.Tracking.CreateExperimentAsync("shared", null, []);
        await byUri.Registry.CreateRegisteredModelAsync("m", [], null, null);

        Assert.False(byUri.Shared);
        Assert.Equal(path, byUri.Description);
        Assert.Equal("shared", (await byPath.Tracking.GetExperimentAsync(id)).Name);
        Assert.NotNull(await byPath.Registry.GetRegisteredModelAsync("m"));
        Assert.Empty(await byPath.Serving.ListEndpointsAsync(null));
        Assert.Null(await byPath.Jobs.GetJobAsync(1));
    }

    [Theory]
    [InlineData("mysql://root:hunter2@db/keel", "Unsupported backend store URI 'mysql://root:***@db/keel' (--backend-store-uri): expected sqlite:///<absolute path>, postgresql://user:password@host:port/database or a file path.")]
    [InlineData("postgresql://keel:hunter2@db/keel?pool=5", "Invalid backend store URI 'postgresql://keel:***@db/keel?pool=5' (--backend-store-uri): unknown query parameter 'pool' (supported: sslmode, application_name, connect_timeout, host, search_path, max_pool_size).")]
    [InlineData("sqlite://relative.db", "Invalid SQLite backend store URI 'sqlite://relative.db' (--backend-store-uri): expected sqlite:///<absolute path> (three slashes, then the path) or a file path.")]
    public void A_bad_backend_store_uri_is_refused_naming_the_option_and_the_rule(string uri, string message)
    {
        var e = Assert.Throws<KeelException>(() => KeelBackends.OpenMetadata(uri));

        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void An_unknown_artifacts_destination_is_refused_naming_the_option_and_the_forms()
    {
        var e = Assert.Throws<KeelException>(() => KeelBackends.OpenArtifacts("gs://bucket/prefix"));

        Assert.Equal(
            "Unsupported artifacts destination 'gs://bucket/prefix' (--artifacts-destination): expected file:///<absolute path>, s3://<bucket>/<prefix> or a directory path.",
            e.Message);
    }

    [Fact]
    public async Task A_directory_and_its_file_uri_are_local_artifact_stores()
    {
        var store = KeelBackends.OpenArtifacts(new Uri(Path.Combine(_dir, "artifacts")).AbsoluteUri);
        await store.WriteAsync("a/b.txt", new MemoryStream("hi"u8.ToArray()));

        Assert.True(File.Exists(Path.Combine(_dir, "artifacts", "a", "b.txt")));
        var plain = KeelBackends.OpenArtifacts(Path.Combine(_dir, "artifacts"));
        Assert.Single(await plain.ListAsync("a"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the test.
        }
    }
}
