using Keel.Core.Artifacts;
using Keel.Core.Backends;
using Keel.Core.Errors;

namespace Keel.Core.Tests;

/// <summary>Backends by URI scheme: lookup, plain paths, refusals that name the option and the forms.</summary>
public sealed class BackendRegistryTests
{
    [Theory]
    [InlineData("sqlite:////tmp/a.db", "sqlite")]
    [InlineData("postgresql+psycopg2://u@h/db", "postgresql")]
    [InlineData("POSTGRES://u@h/db", "postgres")]
    [InlineData("s3://bucket/prefix", "s3")]
    [InlineData("/var/lib/keel/keel.db", null)]
    [InlineData("relative/keel.db", null)]
    [InlineData(@"C:\data\keel.db", null)]
    [InlineData("C:/data/keel.db", null)]
    [InlineData("1http://x", null)]
    public void The_scheme_is_read_without_a_driver_suffix(string value, string? scheme) =>
        Assert.Equal(scheme, BackendRegistry.SchemeOf(value));

    [Fact]
    public void A_uri_goes_to_the_provider_of_its_scheme_and_a_plain_path_to_the_file_backend()
    {
        var files = new FakeMetadata(["sqlite"], plainPaths: true);
        var server = new FakeMetadata(["postgresql", "postgres"], plainPaths: false);
        var registry = new BackendRegistry().Add(files).Add(server);

        Assert.Same(files, ((FakeBackend)registry.OpenMetadata(new("/data/keel.db", "--backend-store-uri"))).Provider);
        Assert.Same(files, ((FakeBackend)registry.OpenMetadata(new("sqlite:////data/keel.db", "--backend-store-uri"))).Provider);
        Assert.Same(server, ((FakeBackend)registry.OpenMetadata(new("postgresql+psycopg2://u@h/db", "--backend-store-uri"))).Provider);
        Assert.True(registry.IsMetadataUri("postgres://u@h/db"));
        Assert.False(registry.IsMetadataUri("mysql://u@h/db"));
    }

    [Fact]
    public void An_unknown_scheme_is_refused_naming_the_option_and_every_form_accepted()
    {
        var registry = new BackendRegistry().Add(new FakeMetadata(["sqlite"], plainPaths: true)).Add(new FakeMetadata(["postgresql"], plainPaths: false));

        var e = Assert.Throws<KeelException>(() => registry.OpenMetadata(new("mysql://root:hunter2@db/x", "KEEL_BACKEND_STORE_URI")));

        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains("(KEEL_BACKEND_STORE_URI)", e.Message, StringComparison.Ordinal);
        Assert.Contains("sqlite-form, postgresql-form or a file path", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_providers_argument_error_becomes_an_invalid_parameter()
    {
        var registry = new BackendRegistry().Add(new FakeMetadata(["sqlite"], plainPaths: true, fail: "Invalid SQLite URI (--backend-store-uri): bad."));

        var e = Assert.Throws<KeelException>(() => registry.OpenMetadata(new("sqlite://x", "--backend-store-uri")));

        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Equal("Invalid SQLite URI (--backend-store-uri): bad.", e.Message);
    }

    [Fact]
    public void A_scheme_registered_twice_is_a_programming_error()
    {
        var registry = new BackendRegistry().Add(new FakeMetadata(["sqlite"], plainPaths: true));

        Assert.Throws<InvalidOperationException>(() => registry.Add(new FakeMetadata(["sqlite"], plainPaths: false)));
        Assert.Throws<InvalidOperationException>(() => registry.Add(new FakeMetadata(["other"], plainPaths: true)));
        Assert.Throws<InvalidOperationException>(() => registry.Add(new FakeMetadata(["Upper"], plainPaths: false)));
    }

    [Fact]
    public void Artifact_stores_are_opened_behind_the_path_guard()
    {
        var registry = new BackendRegistry().Add(new FakeArtifacts());

        var store = registry.OpenArtifacts("fake://bucket", "--artifacts-destination");

        Assert.IsType<GuardedArtifactStore>(store);
        var e = Assert.Throws<KeelException>(() => registry.OpenArtifacts("/plain/dir", "--artifacts-destination"));
        Assert.Contains("(--artifacts-destination): expected fake://<bucket>", e.Message, StringComparison.Ordinal);
    }

    private sealed class FakeMetadata(IReadOnlyList<string> schemes, bool plainPaths, string? fail = null) : IMetadataBackendProvider
    {
        public IReadOnlyList<string> Schemes => schemes;

        public string Form => schemes[0] + "-form";

        public bool OpensPlainPaths => plainPaths;

        public IMetadataBackend Open(MetadataBackendSettings settings) =>
            fail is null ? new FakeBackend(this) : throw new ArgumentException(fail);

        public Task<MetadataBackendProbe> ProbeAsync(MetadataBackendSettings settings, TimeSpan timeout, CancellationToken cancellationToken) =>
            fail is null ? Task.FromResult(new MetadataBackendProbe("fake", true, 1, 1, "Fake 1.0")) : throw new ArgumentException(fail);
    }

    private sealed class FakeBackend(IMetadataBackendProvider provider) : IMetadataBackend
    {
        public IMetadataBackendProvider Provider => provider;

        public string Description => "fake";

        public bool Shared => false;

        public Tracking.ITrackingStore Tracking => throw new NotSupportedException();

        public Registry.IModelRegistryStore Registry => throw new NotSupportedException();

        public Serving.IServingStore Serving => throw new NotSupportedException();

        public Jobs.IJobQueue Jobs => throw new NotSupportedException();

        public Data.IDatasetStore Datasets => throw new NotSupportedException();

        public Monitoring.IMonitoringStore Monitoring => throw new NotSupportedException();
        public Monitoring.IAlertStore Alerts => throw new NotSupportedException();

        public Pipelines.IPipelineStore Pipelines => throw new NotSupportedException();

        public Governance.IGovernanceStore Governance => throw new NotSupportedException();

        public Governance.IAuditLog Audit => throw new NotSupportedException();

        public Governance.IEnvironmentStore Environments => throw new NotSupportedException();

        public Features.IFeatureRegistry Features => throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class FakeArtifacts : IArtifactBackendProvider
    {
        public IReadOnlyList<string> Schemes => ["fake"];

        public string Form => "fake://<bucket>";

        public bool OpensPlainPaths => false;

        public IArtifactStore Open(string uri, string option) => new NullStore();
    }

    private sealed class NullStore : IArtifactStore
    {
        public Task WriteAsync(string path, Stream content, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ArtifactSlice> OpenReadRangeAsync(string path, ArtifactRange range, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<ArtifactEntry>> ListAsync(string? path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task DeleteAsync(string path, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
