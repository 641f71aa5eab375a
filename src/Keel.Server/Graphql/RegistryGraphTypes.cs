// The model-registry part of MLflow 2.12.2's GraphQL schema (mlflow/server/graphql).
using GraphQL.Types;
using Keel.Core.Registry;

namespace Keel.Server.Graphql;

internal sealed class ModelVersionStatusGraphType : EnumerationGraphType
{
    public ModelVersionStatusGraphType()
    {
        Name = "MlflowModelVersionStatus";
        Add("PENDING_REGISTRATION", ModelVersionStatus.PendingRegistration);
        Add("FAILED_REGISTRATION", ModelVersionStatus.FailedRegistration);
        Add("READY", ModelVersionStatus.Ready);
    }
}

internal sealed class ModelVersionTagGraphType() : KeyValueGraphType<Keel.Core.Tracking.Tag>("MlflowModelVersionTag", t => t.Key, t => t.Value);

internal sealed class ModelVersionGraphType : ObjectGraphType<ModelVersion>
{
    public ModelVersionGraphType()
    {
        Name = "MlflowModelVersion";
        Field<StringGraphType>("name").Resolve(c => c.Source.Name);
        Field<StringGraphType>("version").Resolve(c => c.Source.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Field<LongStringGraphType>("creationTimestamp").Resolve(c => c.Source.CreationTimestamp);
        Field<LongStringGraphType>("lastUpdatedTimestamp").Resolve(c => c.Source.LastUpdatedTimestamp);
        Field<StringGraphType>("userId").Resolve(c => c.Source.UserId);
        Field<StringGraphType>("currentStage").Resolve(c => c.Source.CurrentStage.ToWire());
        Field<StringGraphType>("description").Resolve(c => c.Source.Description);
        Field<StringGraphType>("source").Resolve(c => c.Source.Source);
        Field<StringGraphType>("runId").Resolve(c => c.Source.RunId);
        Field<ModelVersionStatusGraphType>("status").Resolve(c => c.Source.Status);
        Field<StringGraphType>("statusMessage").Resolve(c => c.Source.StatusMessage);
        Field<ListGraphType<NonNullGraphType<ModelVersionTagGraphType>>>("tags").Resolve(c => c.Source.Tags);
        Field<StringGraphType>("runLink").Resolve(c => c.Source.RunLink);
        Field<ListGraphType<StringGraphType>>("aliases").Resolve(c => c.Source.Aliases);
    }
}

internal sealed class SearchModelVersionsResponseGraphType : ObjectGraphType<Keel.Core.Tracking.PagedList<ModelVersion>>
{
    public SearchModelVersionsResponseGraphType()
    {
        Name = "MlflowSearchModelVersionsResponse";
        Field<ListGraphType<NonNullGraphType<ModelVersionGraphType>>>("modelVersions").Resolve(c => c.Source.Items);
        Field<StringGraphType>("nextPageToken").Resolve(c => c.Source.NextPageToken);
    }
}

internal sealed class SearchModelVersionsInputGraphType : InputObjectGraphType
{
    public SearchModelVersionsInputGraphType()
    {
        Name = "MlflowSearchModelVersionsInput";
        Field<StringGraphType>("filter");
        Field<LongStringGraphType>("maxResults");
        Field<ListGraphType<StringGraphType>>("orderBy");
        Field<StringGraphType>("pageToken");
    }
}
