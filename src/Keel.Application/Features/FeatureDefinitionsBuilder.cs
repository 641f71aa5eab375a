using Keel.Core.Features;

namespace Keel.Application.Features;

/// <summary>
/// Definitions written in C#, producing the same records as the YAML file and checked by the same
/// <see cref="FeatureDefinitionsValidator"/>:
/// <code>new FeatureDefinitionsBuilder().Entity("driver", "driver_id").Source("stats", "/data/stats.parquet", "event_timestamp")
///     .View("driver_hourly_stats", ["driver"], "stats", TimeSpan.FromDays(1), new("conv_rate", FeatureDtype.Float32)).Build()</code>
/// </summary>
public sealed class FeatureDefinitionsBuilder
{
    private readonly string _baseDirectory;
    private readonly List<FeatureEntity> _entities = [];
    private readonly List<FeatureSource> _sources = [];
    private readonly List<FeatureView> _views = [];
    private readonly List<OnDemandFeatureView> _onDemand = [];
    private readonly List<FeatureService> _services = [];

    /// <param name="baseDirectory">The folder relative source paths are resolved against; null: the current directory.</param>
    public FeatureDefinitionsBuilder(string? baseDirectory = null) => _baseDirectory = baseDirectory ?? Directory.GetCurrentDirectory();

    /// <summary>Adds an entity.</summary>
    public FeatureDefinitionsBuilder Entity(string name, params string[] joinKeys) => Entity(new FeatureEntity(name, joinKeys));

    /// <summary>Adds an entity.</summary>
    public FeatureDefinitionsBuilder Entity(FeatureEntity entity)
    {
        _entities.Add(entity);
        return this;
    }

    /// <summary>Adds a source.</summary>
    public FeatureDefinitionsBuilder Source(string name, string path, string timestampField, string? createdTimestampColumn = null, IReadOnlyDictionary<string, string>? fieldMapping = null) =>
        Source(new FeatureSource(name, path, timestampField, createdTimestampColumn, fieldMapping));

    /// <summary>Adds a source.</summary>
    public FeatureDefinitionsBuilder Source(FeatureSource source)
    {
        _sources.Add(source);
        return this;
    }

    /// <summary>Adds a feature view.</summary>
    public FeatureDefinitionsBuilder View(string name, IReadOnlyList<string> entities, string source, TimeSpan? ttl, params FeatureField[] features) =>
        View(new FeatureView(name, entities, source, ttl, features));

    /// <summary>Adds a feature view.</summary>
    public FeatureDefinitionsBuilder View(FeatureView view)
    {
        _views.Add(view);
        return this;
    }

    /// <summary>Adds an on-demand view.</summary>
    public FeatureDefinitionsBuilder OnDemandView(OnDemandFeatureView view)
    {
        _onDemand.Add(view);
        return this;
    }

    /// <summary>Adds a feature service over <c>view:feature</c> references.</summary>
    public FeatureDefinitionsBuilder Service(string name, params string[] features) =>
        Service(new FeatureService(name, [.. features.Select(f => FeatureReference.TryParse(f) ?? new FeatureReference(f, string.Empty))]));

    /// <summary>Adds a feature service.</summary>
    public FeatureDefinitionsBuilder Service(FeatureService service)
    {
        _services.Add(service);
        return this;
    }

    /// <summary>The definitions, validated (every problem at once).</summary>
    /// <exception cref="Keel.Core.Errors.KeelException">INVALID_PARAMETER_VALUE listing every problem.</exception>
    public FeatureDefinitions Build()
    {
        var definitions = FeatureDefinitionsValidator.ResolvePaths(new FeatureDefinitions([.. _entities], [.. _sources], [.. _views], [.. _onDemand], [.. _services]), _baseDirectory);
        FeatureDefinitionsValidator.Check(definitions);
        return definitions;
    }
}
