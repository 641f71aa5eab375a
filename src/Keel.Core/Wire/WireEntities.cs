// Wire shapes of MLflow's entities (service.proto). Grouped in one file the way a .proto file groups
// messages: this file is the contract both the server and the SDK compile against. Every field is
// nullable: null means "not set" and is omitted on the wire, as protobuf's JSON printer does.
using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

public sealed class KeyValueDto
{
    public string? Key { get; set; }

    public string? Value { get; set; }
}

public sealed class ExperimentDto
{
    public string? ExperimentId { get; set; }

    public string? Name { get; set; }

    public string? ArtifactLocation { get; set; }

    public string? LifecycleStage { get; set; }

    public long? LastUpdateTime { get; set; }

    public long? CreationTime { get; set; }

    public List<KeyValueDto>? Tags { get; set; }
}

public sealed class RunInfoDto
{
    public string? RunUuid { get; set; }

    public string? ExperimentId { get; set; }

    public string? RunName { get; set; }

    public string? UserId { get; set; }

    public string? Status { get; set; }

    public long? StartTime { get; set; }

    public long? EndTime { get; set; }

    public string? ArtifactUri { get; set; }

    public string? LifecycleStage { get; set; }

    public string? RunId { get; set; }
}

public sealed class MetricDto
{
    public string? Key { get; set; }

    public double? Value { get; set; }

    public long? Timestamp { get; set; }

    public long? Step { get; set; }
}

public sealed class MetricWithRunIdDto
{
    public string? Key { get; set; }

    public double? Value { get; set; }

    public long? Timestamp { get; set; }

    public long? Step { get; set; }

    public string? RunId { get; set; }
}

/// <summary>MLflow writes a missing context as null rather than leaving it out.</summary>
public sealed class DatasetSummaryDto
{
    public string? ExperimentId { get; set; }

    public string? Name { get; set; }

    public string? Digest { get; set; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Context { get; set; }
}

public sealed class RunDataDto
{
    public List<MetricDto>? Metrics { get; set; }

    public List<KeyValueDto>? Params { get; set; }

    public List<KeyValueDto>? Tags { get; set; }
}

public sealed class DatasetDto
{
    public string? Name { get; set; }

    public string? Digest { get; set; }

    public string? SourceType { get; set; }

    public string? Source { get; set; }

    public string? Schema { get; set; }

    public string? Profile { get; set; }
}

public sealed class DatasetInputDto
{
    public List<KeyValueDto>? Tags { get; set; }

    public DatasetDto? Dataset { get; set; }
}

public sealed class RunInputsDto
{
    public List<DatasetInputDto>? DatasetInputs { get; set; }
}

public sealed class RunDto
{
    public RunInfoDto? Info { get; set; }

    public RunDataDto? Data { get; set; }

    public RunInputsDto? Inputs { get; set; }
}

public sealed class FileInfoDto
{
    public string? Path { get; set; }

    public bool? IsDir { get; set; }

    public long? FileSize { get; set; }
}

public sealed class ErrorDto
{
    public string? ErrorCode { get; set; }

    public string? Message { get; set; }
}

/// <summary>Accepts a JSON string or number and keeps it as a string (proto enums arrive as names or numbers).</summary>
public sealed class StringOrNumberConverter : JsonConverter<string>
{
    public override string? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            System.Text.Json.JsonTokenType.String => reader.GetString(),
            System.Text.Json.JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.ValueSpan),
            System.Text.Json.JsonTokenType.Null => null,
            _ => throw new System.Text.Json.JsonException("Expected a string or a number."),
        };

    public override void Write(System.Text.Json.Utf8JsonWriter writer, string value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value);
}
