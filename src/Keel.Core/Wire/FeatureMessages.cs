namespace Keel.Core.Wire;

// Keel's feature registry API (/api/2.0/keel/features). The definition shapes are the YAML file's
// (Feast's names, snake_case), so a file and a request body read the same.

/// <summary>An entity as written in a definitions file or request.</summary>
public sealed class FeatureEntityWire
{
    /// <summary>Unique entity name.</summary>
    public string? Name { get; set; }

    /// <summary>The columns that identify one entity.</summary>
    public List<string>? JoinKeys { get; set; }

    /// <summary>Free text.</summary>
    public string? Description { get; set; }
}

/// <summary>A source as written in a definitions file or request.</summary>
public sealed class FeatureSourceWire
{
    /// <summary>Unique source name.</summary>
    public string? Name { get; set; }

    /// <summary>A CSV or Parquet file or folder, or <c>datasets:/name@version</c>.</summary>
    public string? Path { get; set; }

    /// <summary>The event-time column.</summary>
    public string? TimestampField { get; set; }

    /// <summary>The column that breaks ties of event time.</summary>
    public string? CreatedTimestampColumn { get; set; }

    /// <summary>Source column → name in Keel.</summary>
    public Dictionary<string, string>? FieldMapping { get; set; }

    /// <summary>Free text.</summary>
    public string? Description { get; set; }
}

/// <summary>A feature, request field or on-demand feature: name, dtype and (on-demand only) expression.</summary>
public sealed class FeatureFieldWire
{
    /// <summary>The name.</summary>
    public string? Name { get; set; }

    /// <summary>Int32, Int64, Float32, Float64, String, Bool or UnixTimestamp.</summary>
    public string? Dtype { get; set; }

    /// <summary>On-demand features only: the expression computing it.</summary>
    public string? Expression { get; set; }
}

/// <summary>A feature view as written in a definitions file or request.</summary>
public sealed class FeatureViewWire
{
    /// <summary>Unique view name.</summary>
    public string? Name { get; set; }

    /// <summary>Entity names.</summary>
    public List<string>? Entities { get; set; }

    /// <summary>The source's name.</summary>
    public string? Source { get; set; }

    /// <summary>How long a value stays valid: <c>10d</c>, <c>12h</c>, <c>30m</c>, <c>45s</c> or <c>0</c> (forever).</summary>
    public string? Ttl { get; set; }

    /// <summary>Whether materialization writes the view online (default true).</summary>
    public bool? Online { get; set; }

    /// <summary>The features.</summary>
    public List<FeatureFieldWire>? Features { get; set; }

    /// <summary>Free text.</summary>
    public string? Description { get; set; }

    /// <summary>Free labels.</summary>
    public Dictionary<string, string>? Tags { get; set; }
}

/// <summary>An on-demand feature view as written in a definitions file or request.</summary>
public sealed class OnDemandFeatureViewWire
{
    /// <summary>Unique view name.</summary>
    public string? Name { get; set; }

    /// <summary>The feature views the expressions read.</summary>
    public List<string>? Sources { get; set; }

    /// <summary>Fields the request must carry.</summary>
    public List<FeatureFieldWire>? RequestFields { get; set; }

    /// <summary>The computed features (name, dtype, expression).</summary>
    public List<FeatureFieldWire>? Features { get; set; }

    /// <summary>Free text.</summary>
    public string? Description { get; set; }
}

/// <summary>A feature service as written in a definitions file or request.</summary>
public sealed class FeatureServiceWire
{
    /// <summary>Unique service name.</summary>
    public string? Name { get; set; }

    /// <summary>The features, as <c>view:feature</c>.</summary>
    public List<string>? Features { get; set; }

    /// <summary>Free text.</summary>
    public string? Description { get; set; }
}

/// <summary>A complete set of definitions: the shape of a definitions YAML file.</summary>
public sealed class FeatureDefinitionsWire
{
    /// <summary>Entities.</summary>
    public List<FeatureEntityWire>? Entities { get; set; }

    /// <summary>Sources.</summary>
    public List<FeatureSourceWire>? Sources { get; set; }

    /// <summary>Feature views.</summary>
    public List<FeatureViewWire>? FeatureViews { get; set; }

    /// <summary>On-demand feature views.</summary>
    public List<OnDemandFeatureViewWire>? OnDemandFeatureViews { get; set; }

    /// <summary>Feature services.</summary>
    public List<FeatureServiceWire>? FeatureServices { get; set; }
}

/// <summary>One stored definition, or one change: exactly one of the definition fields is set (none for a delete).</summary>
public sealed class FeatureObjectWire
{
    /// <summary>entity, source, feature_view, on_demand_feature_view or feature_service.</summary>
    public string? Kind { get; set; }

    /// <summary>Its name.</summary>
    public string? Name { get; set; }

    /// <summary>Stored objects: the version.</summary>
    public int? Version { get; set; }

    /// <summary>Changes: true for a new version, false to change the current one in place.</summary>
    public bool? NewVersion { get; set; }

    /// <summary>Stored objects: when this version was applied, Unix milliseconds.</summary>
    public long? CreatedAt { get; set; }

    /// <summary>Stored objects: when it last changed in place, Unix milliseconds.</summary>
    public long? UpdatedAt { get; set; }

    /// <summary>Stored objects: who applied it.</summary>
    public string? CreatedBy { get; set; }

    /// <summary>An entity.</summary>
    public FeatureEntityWire? Entity { get; set; }

    /// <summary>A source.</summary>
    public FeatureSourceWire? Source { get; set; }

    /// <summary>A feature view.</summary>
    public FeatureViewWire? FeatureView { get; set; }

    /// <summary>An on-demand feature view.</summary>
    public OnDemandFeatureViewWire? OnDemandFeatureView { get; set; }

    /// <summary>A feature service.</summary>
    public FeatureServiceWire? FeatureService { get; set; }
}

/// <summary>The registry's catalog.</summary>
public sealed class FeatureCatalogResponse
{
    /// <summary>The catalog revision (0: nothing applied yet).</summary>
    public long? Revision { get; set; }

    /// <summary>Every live definition at its current version.</summary>
    public List<FeatureObjectWire>? Objects { get; set; }
}

/// <summary>Every version of one definition.</summary>
public sealed class FeatureVersionsResponse
{
    /// <summary>Oldest first, deleted ones included.</summary>
    public List<FeatureObjectWire>? Versions { get; set; }
}

/// <summary>Body of planning definitions (POST /features/plan).</summary>
public sealed class FeaturePlanRequest
{
    /// <summary>The desired definitions, complete (what is absent is deleted).</summary>
    public FeatureDefinitionsWire? Definitions { get; set; }
}

/// <summary>Body of applying (POST /features/apply): either definitions (planned on the server) or changes.</summary>
public sealed class FeatureApplyRequest
{
    /// <summary>The desired definitions, complete.</summary>
    public FeatureDefinitionsWire? Definitions { get; set; }

    /// <summary>Changes computed by the caller (instead of definitions).</summary>
    public List<FeatureObjectWire>? Changes { get; set; }

    /// <summary>The catalog revision the changes were planned from; with definitions, optional.</summary>
    public long? ExpectedRevision { get; set; }

    /// <summary>Apply even changes that break a view a production endpoint reads.</summary>
    public bool? Force { get; set; }
}

/// <summary>An endpoint a change would break.</summary>
public sealed class FeaturePlanEndpointWire
{
    /// <summary>The endpoint.</summary>
    public string? Name { get; set; }

    /// <summary>Its environment.</summary>
    public string? Environment { get; set; }

    /// <summary>The model versions it serves (its routes' model URIs).</summary>
    public List<string>? ModelUris { get; set; }
}

/// <summary>One line of a plan.</summary>
public sealed class FeaturePlanItemWire
{
    /// <summary>The object's kind.</summary>
    public string? Kind { get; set; }

    /// <summary>The object's name.</summary>
    public string? Name { get; set; }

    /// <summary>create, update, new_version, delete or unchanged.</summary>
    public string? Action { get; set; }

    /// <summary>The current version; absent when new.</summary>
    public int? VersionBefore { get; set; }

    /// <summary>The version after the apply; absent when deleted.</summary>
    public int? VersionAfter { get; set; }

    /// <summary>What changed.</summary>
    public string? Reason { get; set; }

    /// <summary>True when refused without force (a production endpoint reads it).</summary>
    public bool? Refused { get; set; }

    /// <summary>Production endpoints that read what changes.</summary>
    public List<FeaturePlanEndpointWire>? Endpoints { get; set; }

    /// <summary>Registered model versions tagged keel.feature_service with an affected service.</summary>
    public List<string>? Models { get; set; }
}

/// <summary>A plan, or the result of an apply.</summary>
public sealed class FeaturePlanResponse
{
    /// <summary>The catalog revision the plan was made from.</summary>
    public long? Revision { get; set; }

    /// <summary>One line per object.</summary>
    public List<FeaturePlanItemWire>? Items { get; set; }

    /// <summary>After an apply: true when the changes were stored.</summary>
    public bool? Applied { get; set; }

    /// <summary>After an apply: the new catalog revision.</summary>
    public long? AppliedRevision { get; set; }
}

/// <summary>A refused apply (409): the catalog moved on since the plan.</summary>
public sealed class FeatureConflictResponse
{
    /// <summary>RESOURCE_CONFLICT.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>What happened.</summary>
    public string? Message { get; set; }

    /// <summary>The catalog's revision now.</summary>
    public long? CurrentRevision { get; set; }
}

/// <summary>Where materialization of a view has got to.</summary>
public sealed class MaterializationStateWire
{
    /// <summary>The view.</summary>
    public string? View { get; set; }

    /// <summary>The view version it was materialized at.</summary>
    public int? ViewVersion { get; set; }

    /// <summary>Event time up to which rows were written (inclusive), Unix milliseconds.</summary>
    public long? Watermark { get; set; }

    /// <summary>Rows written by the last run.</summary>
    public long? Rows { get; set; }

    /// <summary>When the last run finished, Unix milliseconds.</summary>
    public long? UpdatedAt { get; set; }

    /// <summary>Optimistic version of the record.</summary>
    public long? Revision { get; set; }
}

/// <summary>A lease fence sent with a leader's write.</summary>
public sealed class LeaseFenceWire
{
    /// <summary>The lease.</summary>
    public string? Name { get; set; }

    /// <summary>Its holder.</summary>
    public string? Holder { get; set; }

    /// <summary>The holder's epoch.</summary>
    public long? Epoch { get; set; }
}

/// <summary>Body of recording a materialization run (POST /features/materialization/{view}).</summary>
public sealed class RecordMaterializationRequest
{
    /// <summary>The state to store.</summary>
    public MaterializationStateWire? State { get; set; }

    /// <summary>The revision it was made from (0: none stored yet).</summary>
    public long? ExpectedRevision { get; set; }

    /// <summary>The writer's lease fence, when it runs as a leader.</summary>
    public LeaseFenceWire? Fence { get; set; }
}

/// <summary>A view's materialization state.</summary>
public sealed class MaterializationResponse
{
    /// <summary>The state; absent when materialization never ran.</summary>
    public MaterializationStateWire? State { get; set; }
}
