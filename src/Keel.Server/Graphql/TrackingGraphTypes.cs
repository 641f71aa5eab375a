// The tracking part of MLflow 2.12.2's GraphQL schema (mlflow/server/graphql), type and field names as
// MLflow's UI queries them. Grouped in one file as the .proto groups the messages they mirror.
using GraphQL;
using GraphQL.Types;
using Keel.Application;
using Keel.Core.Registry;
using Keel.Core.Tracking;

namespace Keel.Server.Graphql;

internal class KeyValueGraphType<TSource> : ObjectGraphType<TSource>
{
    public KeyValueGraphType(string name, Func<TSource, string> key, Func<TSource, string> value)
    {
        Name = name;
        Field<StringGraphType>("key").Resolve(c => key(c.Source));
        Field<StringGraphType>("value").Resolve(c => value(c.Source));
    }
}

internal sealed class ExperimentTagGraphType() : KeyValueGraphType<Tag>("MlflowExperimentTag", t => t.Key, t => t.Value);

internal sealed class RunTagGraphType() : KeyValueGraphType<Tag>("MlflowRunTag", t => t.Key, t => t.Value);

internal sealed class ParamGraphType() : KeyValueGraphType<Param>("MlflowParam", p => p.Key, p => p.Value);

internal sealed class InputTagGraphType() : KeyValueGraphType<Tag>("MlflowInputTag", t => t.Key, t => t.Value);

internal sealed class ExperimentGraphType : ObjectGraphType<Experiment>
{
    public ExperimentGraphType()
    {
        Name = "MlflowExperiment";
        Field<StringGraphType>("experimentId").Resolve(c => c.Source.ExperimentId);
        Field<StringGraphType>("name").Resolve(c => c.Source.Name);
        Field<StringGraphType>("artifactLocation").Resolve(c => c.Source.ArtifactLocation);
        Field<StringGraphType>("lifecycleStage").Resolve(c => c.Source.LifecycleStage.ToWire());
        Field<LongStringGraphType>("lastUpdateTime").Resolve(c => c.Source.LastUpdateTime);
        Field<LongStringGraphType>("creationTime").Resolve(c => c.Source.CreationTime);
        Field<ListGraphType<NonNullGraphType<ExperimentTagGraphType>>>("tags").Resolve(c => c.Source.Tags);
    }
}

internal sealed class GetExperimentResponseGraphType : ObjectGraphType<Experiment>
{
    public GetExperimentResponseGraphType()
    {
        Name = "MlflowGetExperimentResponse";
        Field<ExperimentGraphType>("experiment").Resolve(c => c.Source);
    }
}

internal sealed class RunStatusGraphType : EnumerationGraphType
{
    public RunStatusGraphType()
    {
        Name = "MlflowRunStatus";
        Add("RUNNING", RunStatus.Running);
        Add("SCHEDULED", RunStatus.Scheduled);
        Add("FINISHED", RunStatus.Finished);
        Add("FAILED", RunStatus.Failed);
        Add("KILLED", RunStatus.Killed);
    }
}

internal sealed class RunInfoGraphType : ObjectGraphType<RunInfo>
{
    public RunInfoGraphType()
    {
        Name = "MlflowRunInfo";
        Field<StringGraphType>("runId").Resolve(c => c.Source.RunId);
        Field<StringGraphType>("runUuid").Resolve(c => c.Source.RunId);
        Field<StringGraphType>("runName").Resolve(c => c.Source.RunName);
        Field<StringGraphType>("experimentId").Resolve(c => c.Source.ExperimentId);
        Field<StringGraphType>("userId").Resolve(c => c.Source.UserId);
        Field<RunStatusGraphType>("status").Resolve(c => c.Source.Status);
        Field<LongStringGraphType>("startTime").Resolve(c => c.Source.StartTime);
        Field<LongStringGraphType>("endTime").Resolve(c => c.Source.EndTime);
        Field<StringGraphType>("artifactUri").Resolve(c => c.Source.ArtifactUri);
        Field<StringGraphType>("lifecycleStage").Resolve(c => c.Source.LifecycleStage.ToWire());
    }
}

internal sealed class MetricGraphType : ObjectGraphType<Metric>
{
    public MetricGraphType()
    {
        Name = "MlflowMetric";
        Field<StringGraphType>("key").Resolve(c => c.Source.Key);
        Field<FloatGraphType>("value").Resolve(c => double.IsFinite(c.Source.Value) ? c.Source.Value : null);
        Field<LongStringGraphType>("timestamp").Resolve(c => c.Source.Timestamp);
        Field<LongStringGraphType>("step").Resolve(c => c.Source.Step);
    }
}

internal sealed class RunDataGraphType : ObjectGraphType<RunData>
{
    public RunDataGraphType()
    {
        Name = "MlflowRunData";
        Field<ListGraphType<NonNullGraphType<MetricGraphType>>>("metrics").Resolve(c => c.Source.Metrics);
        Field<ListGraphType<NonNullGraphType<ParamGraphType>>>("params").Resolve(c => c.Source.Params);
        Field<ListGraphType<NonNullGraphType<RunTagGraphType>>>("tags").Resolve(c => c.Source.Tags);
    }
}

internal sealed class DatasetGraphType : ObjectGraphType<Dataset>
{
    public DatasetGraphType()
    {
        Name = "MlflowDataset";
        Field<StringGraphType>("name").Resolve(c => c.Source.Name);
        Field<StringGraphType>("digest").Resolve(c => c.Source.Digest);
        Field<StringGraphType>("sourceType").Resolve(c => c.Source.SourceType);
        Field<StringGraphType>("source").Resolve(c => c.Source.Source);
        Field<StringGraphType>("schema").Resolve(c => c.Source.Schema);
        Field<StringGraphType>("profile").Resolve(c => c.Source.Profile);
    }
}

internal sealed class DatasetInputGraphType : ObjectGraphType<DatasetInput>
{
    public DatasetInputGraphType()
    {
        Name = "MlflowDatasetInput";
        Field<ListGraphType<NonNullGraphType<InputTagGraphType>>>("tags").Resolve(c => c.Source.Tags);
        Field<DatasetGraphType>("dataset").Resolve(c => c.Source.Dataset);
    }
}

internal sealed class RunInputsGraphType : ObjectGraphType<IReadOnlyList<DatasetInput>>
{
    public RunInputsGraphType()
    {
        Name = "MlflowRunInputs";
        Field<ListGraphType<NonNullGraphType<DatasetInputGraphType>>>("datasetInputs").Resolve(c => c.Source);
    }
}

/// <summary>A run as MLflow's UI asks for it: with its experiment and the model versions made from it.</summary>
internal sealed class RunExtensionGraphType : ObjectGraphType<Run>
{
    public RunExtensionGraphType()
    {
        Name = "MlflowRunExtension";
        Field<RunInfoGraphType>("info").Resolve(c => c.Source.Info);
        Field<RunDataGraphType>("data").Resolve(c => c.Source.Data);
        Field<RunInputsGraphType>("inputs").Resolve(c => c.Source.Inputs);
        Field<ExperimentGraphType>("experiment").ResolveAsync(async c =>
            await c.RequestServices!.GetRequiredService<TrackingService>().GetExperimentAsync(c.Source.Info.ExperimentId, c.CancellationToken));
        Field<ListGraphType<NonNullGraphType<ModelVersionGraphType>>>("modelVersions").ResolveAsync(async c =>
        {
            var page = await c.RequestServices!.GetRequiredService<RegistryService>().SearchModelVersionsAsync(
                $"run_id='{c.Source.Info.RunId}'", null, null, null, c.CancellationToken);
            return page.Items;
        });
    }
}

internal sealed class GetRunResponseGraphType : ObjectGraphType<Run>
{
    public GetRunResponseGraphType()
    {
        Name = "MlflowGetRunResponse";
        Field<RunExtensionGraphType>("run").Resolve(c => c.Source);
    }
}

internal sealed class GetExperimentInputGraphType : InputObjectGraphType
{
    public GetExperimentInputGraphType()
    {
        Name = "MlflowGetExperimentInput";
        Field<StringGraphType>("experimentId");
    }
}

internal sealed class GetRunInputGraphType : InputObjectGraphType
{
    public GetRunInputGraphType()
    {
        Name = "MlflowGetRunInput";
        Field<StringGraphType>("runId");
        Field<StringGraphType>("runUuid");
    }
}

internal static class InputArgs
{
    /// <summary>A string member of an input-object argument, or null when either is absent.</summary>
    public static string? String(IResolveFieldContext context, string member) =>
        context.GetArgument<Dictionary<string, object?>?>("input") is { } input && input.TryGetValue(member, out var value) ? value as string : null;
}
