using Keel.Cli.Commands.Features;
using Keel.Cli.Infrastructure;
using Keel.Core.Coordination;
using Keel.Core.Features;

namespace Keel.Cli.Tests.Features;

/// <summary><c>keel features get-historical</c> on the embedded store, the registry given through the command's seam.</summary>
/// <remarks>In the console collection: the command writes to the console, which other tests capture.</remarks>
[Collection("Console")]
public sealed class GetHistoricalCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "keel-gethist-" + Guid.NewGuid().ToString("N"));

    public GetHistoricalCommandTests()
    {
        Directory.CreateDirectory(_dir);
        File.WriteAllText(Path.Combine(_dir, "stats.csv"), "driver,event_ts,created,conv_rate\n1001,2021-04-12 10:00:00+00:00,2021-04-12 10:00:00+00:00,0.1\n1001,2021-04-12 11:00:00+00:00,2021-04-12 11:00:00+00:00,0.2\n1001,2021-04-12 11:00:00+00:00,2021-04-12 11:05:00+00:00,0.25\n");
        File.WriteAllText(Path.Combine(_dir, "entities.csv"), "driver_id,event_timestamp\n1001,2021-04-12 11:30:00+00:00\n1001,2021-04-12 09:00:00+00:00\n1001,2021-04-12 14:00:00+00:00\n");
        var definitions = new FeatureDefinitions(
            [new FeatureEntity("driver", ["driver_id"])],
            [new FeatureSource("stats", Path.Combine(_dir, "stats.csv"), "event_ts", "created", new Dictionary<string, string> { ["driver"] = "driver_id" })],
            [new FeatureView("driver_hourly", ["driver"], "stats", TimeSpan.FromHours(2), [new("conv_rate", FeatureDtype.Float64)])],
            [],
            [new FeatureService("model_v1", [new("driver_hourly", "conv_rate")])]);
        GetHistoricalCommand.RegistryOf = _ => new FixedRegistry(definitions);
    }

    [Fact]
    public async Task Writes_the_training_file_and_adds_it_as_a_dataset_version()
    {
        var output = Path.Combine(_dir, "train.csv");
        var exit = await GetHistoricalCommand.Create().Parse(
            ["--entities", Path.Combine(_dir, "entities.csv"), "--features", "model_v1", "--output", output, "--dataset", "training", "--data-dir", Path.Combine(_dir, "home")]).InvokeAsync();

        Assert.Equal(0, exit);
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal("driver_id,event_timestamp,conv_rate", lines[0]);
        Assert.Equal(["1001,2021-04-12 11:30:00+00:00,0.25", "1001,2021-04-12 09:00:00+00:00,", "1001,2021-04-12 14:00:00+00:00,"], lines[1..]);
        await using var session = await StoreSession.OpenAsync(null, Path.Combine(_dir, "home"));
        var version = await session.Datasets.GetVersionAsync("training", 1L, CancellationToken.None);
        Assert.Equal(3, version.RowCount);
    }

    [Fact]
    public async Task An_unknown_feature_is_refused_before_any_work()
    {
        var output = Path.Combine(_dir, "train.parquet");
        var exit = await GetHistoricalCommand.Create().Parse(
            ["--entities", Path.Combine(_dir, "entities.csv"), "--features", "driver_hourly:speed", "--output", output, "--data-dir", Path.Combine(_dir, "home")]).InvokeAsync();

        Assert.Equal(ExitCodes.ValidationFailed, exit);
        Assert.False(File.Exists(output));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class FixedRegistry(FeatureDefinitions definitions) : IFeatureRegistry
    {
        public Task<FeatureCatalog> GetCatalogAsync(CancellationToken cancellationToken = default) => Task.FromResult(new FeatureCatalog(1,
        [
            .. definitions.Entities.Select(e => Stored(FeatureObjectKind.Entity, e.Name, e)),
            .. definitions.Sources.Select(s => Stored(FeatureObjectKind.Source, s.Name, s)),
            .. definitions.Views.Select(v => Stored(FeatureObjectKind.View, v.Name, v)),
            .. definitions.Services.Select(s => Stored(FeatureObjectKind.Service, s.Name, s)),
        ]));

        public Task<FeatureCatalog> ApplyAsync(IReadOnlyList<FeatureObjectChange> changes, long expectedRevision, string? actor, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<StoredFeatureObject>> ListVersionsAsync(FeatureObjectKind kind, string name, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<MaterializationState?> GetMaterializationAsync(string view, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<MaterializationState> RecordMaterializationAsync(MaterializationState state, long expectedRevision, LeaseFence? fence, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        private static StoredFeatureObject Stored(FeatureObjectKind kind, string name, object definition) => new(kind, name, 1, definition, 0, 0, null);
    }
}
