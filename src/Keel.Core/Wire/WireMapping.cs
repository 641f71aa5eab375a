using Keel.Core.Tracking;

namespace Keel.Core.Wire;

/// <summary>
/// Domain ↔ wire conversions for tracking entities, used by the server (to answer) and the SDK
/// (to read answers). Fields MLflow sets are always set here, even when empty, so the JSON matches
/// a real MLflow server's (protobuf proto2 prints every field that was set).
/// </summary>
public static class WireMapping
{
    public static KeyValueDto ToDto(this Tag tag) => new() { Key = tag.Key, Value = tag.Value };

    public static KeyValueDto ToDto(this Param param) => new() { Key = param.Key, Value = param.Value };

    public static Tag ToTag(this KeyValueDto dto) => new(dto.Key ?? string.Empty, dto.Value ?? string.Empty);

    public static Param ToParam(this KeyValueDto dto) => new(dto.Key ?? string.Empty, dto.Value ?? string.Empty);

    public static List<KeyValueDto>? ToDtos(this IReadOnlyList<Tag> tags) =>
        tags.Count == 0 ? null : tags.Select(t => t.ToDto()).ToList();

    public static MetricDto ToDto(this Metric m) => new() { Key = m.Key, Value = m.Value, Timestamp = m.Timestamp, Step = m.Step };

    public static Metric ToMetric(this MetricDto dto) =>
        new(dto.Key ?? string.Empty, dto.Value ?? 0, dto.Timestamp ?? 0, dto.Step ?? 0);

    public static ExperimentDto ToDto(this Experiment e) => new()
    {
        ExperimentId = e.ExperimentId,
        Name = e.Name,
        ArtifactLocation = e.ArtifactLocation,
        LifecycleStage = e.LifecycleStage.ToWire(),
        LastUpdateTime = e.LastUpdateTime,
        CreationTime = e.CreationTime,
        Tags = e.Tags.ToDtos(),
    };

    public static Experiment ToDomain(this ExperimentDto dto) => new(
        dto.ExperimentId ?? string.Empty,
        dto.Name ?? string.Empty,
        dto.ArtifactLocation ?? string.Empty,
        LifecycleStages.Parse(dto.LifecycleStage ?? "active"),
        dto.CreationTime ?? 0,
        dto.LastUpdateTime ?? 0,
        dto.Tags?.Select(t => t.ToTag()).ToList() ?? []);

    public static RunInfoDto ToDto(this RunInfo info) => new()
    {
        RunUuid = info.RunId,
        ExperimentId = info.ExperimentId,
        RunName = info.RunName,
        UserId = info.UserId,
        Status = info.Status.ToWire(),
        StartTime = info.StartTime,
        EndTime = info.EndTime,
        ArtifactUri = info.ArtifactUri,
        LifecycleStage = info.LifecycleStage.ToWire(),
        RunId = info.RunId,
    };

    public static RunInfo ToDomain(this RunInfoDto dto)
    {
        RunStatusTransitions.TryParse(dto.Status ?? "RUNNING", out var status);
        return new RunInfo(
            dto.RunId ?? dto.RunUuid ?? string.Empty,
            dto.ExperimentId ?? string.Empty,
            dto.RunName ?? string.Empty,
            dto.UserId ?? string.Empty,
            status,
            dto.StartTime ?? 0,
            dto.EndTime,
            dto.ArtifactUri ?? string.Empty,
            LifecycleStages.Parse(dto.LifecycleStage ?? "active"));
    }

    public static DatasetInputDto ToDto(this DatasetInput input) => new()
    {
        Tags = input.Tags.ToDtos(),
        Dataset = new DatasetDto
        {
            Name = input.Dataset.Name,
            Digest = input.Dataset.Digest,
            SourceType = input.Dataset.SourceType,
            Source = input.Dataset.Source,
            Schema = input.Dataset.Schema,
            Profile = input.Dataset.Profile,
        },
    };

    public static DatasetInput ToDomain(this DatasetInputDto dto) => new(
        new Dataset(
            dto.Dataset?.Name ?? string.Empty,
            dto.Dataset?.Digest ?? string.Empty,
            dto.Dataset?.SourceType ?? string.Empty,
            dto.Dataset?.Source ?? string.Empty,
            dto.Dataset?.Schema,
            dto.Dataset?.Profile),
        dto.Tags?.Select(t => t.ToTag()).ToList() ?? []);

    public static DatasetSummaryDto ToDto(this DatasetSummary summary) => new()
    {
        ExperimentId = summary.ExperimentId,
        Name = summary.Name,
        Digest = summary.Digest,
        Context = summary.Context,
    };

    public static DatasetSummary ToDomain(this DatasetSummaryDto dto) =>
        new(dto.ExperimentId ?? string.Empty, dto.Name ?? string.Empty, dto.Digest ?? string.Empty, dto.Context);

    /// <param name="run">The run.</param>
    /// <param name="withInputs">MLflow's get and search answers carry <c>"inputs": {}</c>; create does not.</param>
    public static RunDto ToDto(this Run run, bool withInputs = true) => new()
    {
        Info = run.Info.ToDto(),
        Data = new RunDataDto
        {
            Metrics = run.Data.Metrics.Count == 0 ? null : run.Data.Metrics.Select(m => m.ToDto()).ToList(),
            Params = run.Data.Params.Count == 0 ? null : run.Data.Params.Select(p => p.ToDto()).ToList(),
            Tags = run.Data.Tags.ToDtos(),
        },
        Inputs = withInputs
            ? new RunInputsDto { DatasetInputs = run.Inputs.Count == 0 ? null : run.Inputs.Select(i => i.ToDto()).ToList() }
            : null,
    };

    public static Run ToDomain(this RunDto dto) => new(
        (dto.Info ?? new RunInfoDto()).ToDomain(),
        new RunData(
            dto.Data?.Metrics?.Select(m => m.ToMetric()).ToList() ?? [],
            dto.Data?.Params?.Select(p => p.ToParam()).ToList() ?? [],
            dto.Data?.Tags?.Select(t => t.ToTag()).ToList() ?? []),
        dto.Inputs?.DatasetInputs?.Select(i => i.ToDomain()).ToList() ?? []);
}
