namespace Keel.Core.Features;

/// <summary>
/// A feature value type, named as Feast names its <c>dtype</c>s (<c>Int64</c>, <c>Float64</c>, ...),
/// so Feast users read a definition at once.
/// </summary>
public enum FeatureDtype
{
    /// <summary>32-bit integer.</summary>
    Int32,

    /// <summary>64-bit integer.</summary>
    Int64,

    /// <summary>32-bit floating point.</summary>
    Float32,

    /// <summary>64-bit floating point.</summary>
    Float64,

    /// <summary>Text.</summary>
    String,

    /// <summary>true or false.</summary>
    Bool,

    /// <summary>A point in time (UTC), carried as Unix milliseconds online.</summary>
    UnixTimestamp,
}

/// <summary>An entity: the thing features describe, found by its join keys (Feast's <c>Entity</c>).</summary>
/// <param name="Name">Unique entity name.</param>
/// <param name="JoinKeys">The columns that identify one entity (one or more; Feast's <c>join_keys</c>).</param>
/// <param name="Description">Free text.</param>
public sealed record FeatureEntity(string Name, IReadOnlyList<string> JoinKeys, string? Description = null);

/// <summary>Where a view's rows come from (Feast's <c>FileSource</c>): a CSV or Parquet file or folder, or a dataset URI.</summary>
/// <param name="Name">Unique source name.</param>
/// <param name="Path">A file, a folder of files of one format, or <c>datasets:/name@version</c>.</param>
/// <param name="TimestampField">The event-time column (Feast's <c>timestamp_field</c>).</param>
/// <param name="CreatedTimestampColumn">The column that breaks ties between rows of equal event time (the later wins); null when none.</param>
/// <param name="FieldMapping">Source column → name in Keel (join keys included), applied before anything else.</param>
/// <param name="Description">Free text.</param>
public sealed record FeatureSource(
    string Name,
    string Path,
    string TimestampField,
    string? CreatedTimestampColumn = null,
    IReadOnlyDictionary<string, string>? FieldMapping = null,
    string? Description = null);

/// <summary>One feature of a view: a column of the source with its type.</summary>
/// <param name="Name">The column name (after the source's field mapping).</param>
/// <param name="Dtype">Its type.</param>
public sealed record FeatureField(string Name, FeatureDtype Dtype);

/// <summary>
/// A feature view (Feast's <c>FeatureView</c>): features of some entities, read from one source,
/// valid for <see cref="Ttl"/> after their event time.
/// </summary>
/// <param name="Name">Unique view name (shared with on-demand views).</param>
/// <param name="Entities">Entity names; their join keys identify a row. Empty: a global series joined on time alone.</param>
/// <param name="Source">The source's name.</param>
/// <param name="Ttl">How long a value stays valid after its event time; null or zero: forever.</param>
/// <param name="Features">The features, in order.</param>
/// <param name="Online">Whether materialization writes this view to the online store.</param>
/// <param name="Description">Free text.</param>
/// <param name="Tags">Free labels.</param>
public sealed record FeatureView(
    string Name,
    IReadOnlyList<string> Entities,
    string Source,
    TimeSpan? Ttl,
    IReadOnlyList<FeatureField> Features,
    bool Online = true,
    string? Description = null,
    IReadOnlyDictionary<string, string>? Tags = null)
{
    /// <summary>True when values never expire (Feast: a ttl of 0 or none).</summary>
    public bool Unbounded => Ttl is null || Ttl.Value <= TimeSpan.Zero;
}

/// <summary>
/// A feature computed on read from request data and other views' features, the same way offline
/// and online (Feast's <c>OnDemandFeatureView</c>, with an expression instead of Python).
/// </summary>
/// <param name="Name">The feature's name.</param>
/// <param name="Dtype">The type the expression's result is converted to.</param>
/// <param name="Expression">An expression over request fields and the features of <see cref="OnDemandFeatureView.Sources"/>, by bare name.</param>
public sealed record OnDemandFeature(string Name, FeatureDtype Dtype, string Expression);

/// <summary>An on-demand feature view: features computed from request data and other views.</summary>
/// <param name="Name">Unique view name (shared with feature views).</param>
/// <param name="Sources">The feature views whose features the expressions read.</param>
/// <param name="RequestFields">Fields the request (or the entity rows offline) must carry.</param>
/// <param name="Features">The computed features.</param>
/// <param name="Description">Free text.</param>
public sealed record OnDemandFeatureView(
    string Name,
    IReadOnlyList<string> Sources,
    IReadOnlyList<FeatureField> RequestFields,
    IReadOnlyList<OnDemandFeature> Features,
    string? Description = null);

/// <summary>A feature service (Feast's <c>FeatureService</c>): a named list of features a model reads.</summary>
/// <param name="Name">Unique service name.</param>
/// <param name="Features">The features, as <c>view:feature</c> references.</param>
/// <param name="Description">Free text.</param>
public sealed record FeatureService(string Name, IReadOnlyList<FeatureReference> Features, string? Description = null);

/// <summary>One feature of one view, written <c>view:feature</c>.</summary>
/// <param name="View">The feature view or on-demand view.</param>
/// <param name="Feature">The feature.</param>
public sealed record FeatureReference(string View, string Feature)
{
    /// <summary>The column name with full feature names: <c>view__feature</c> (Feast's rule).</summary>
    public string FullName => View + "__" + Feature;

    /// <inheritdoc/>
    public override string ToString() => View + ":" + Feature;

    /// <summary>Parses <c>view:feature</c>; null when the text is not of that shape.</summary>
    public static FeatureReference? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0 || colon == text.Length - 1 || text.IndexOf(':', colon + 1) >= 0
            ? null
            : new FeatureReference(text[..colon].Trim(), text[(colon + 1)..].Trim());
    }
}

/// <summary>
/// A complete set of definitions, as one YAML file declares them and as the registry holds them.
/// Names are unique per kind (feature views and on-demand views share one namespace).
/// </summary>
public sealed record FeatureDefinitions(
    IReadOnlyList<FeatureEntity> Entities,
    IReadOnlyList<FeatureSource> Sources,
    IReadOnlyList<FeatureView> Views,
    IReadOnlyList<OnDemandFeatureView> OnDemandViews,
    IReadOnlyList<FeatureService> Services)
{
    /// <summary>No definitions.</summary>
    public static FeatureDefinitions Empty { get; } = new([], [], [], [], []);

    /// <summary>The view of that name, or null.</summary>
    public FeatureView? FindView(string name) => Views.FirstOrDefault(v => v.Name == name);

    /// <summary>The entity of that name, or null.</summary>
    public FeatureEntity? FindEntity(string name) => Entities.FirstOrDefault(e => e.Name == name);

    /// <summary>The source of that name, or null.</summary>
    public FeatureSource? FindSource(string name) => Sources.FirstOrDefault(s => s.Name == name);

    /// <summary>The service of that name, or null.</summary>
    public FeatureService? FindService(string name) => Services.FirstOrDefault(s => s.Name == name);

    /// <summary>The on-demand view of that name, or null.</summary>
    public OnDemandFeatureView? FindOnDemandView(string name) => OnDemandViews.FirstOrDefault(v => v.Name == name);

    /// <summary>The join keys of a view, in entity order then key order.</summary>
    public IReadOnlyList<string> JoinKeysOf(FeatureView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        return [.. view.Entities.SelectMany(e => FindEntity(e)?.JoinKeys ?? [])];
    }
}
