using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Jobs;

namespace Keel.Core.Wire;

/// <summary>Maps jobs between the domain (JSON as text) and the wire (JSON values), one way for the server and the SDK.</summary>
public static class JobWire
{
    /// <summary>The wire form of a job.</summary>
    /// <param name="job">The job.</param>
    public static JobDto ToDto(Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return new JobDto
        {
            Id = job.Id,
            Kind = job.Kind,
            Payload = Element(job.Payload),
            State = job.State,
            Attempts = job.Attempts,
            MaxAttempts = job.MaxAttempts,
            IdempotencyKey = job.IdempotencyKey,
            NotBefore = job.NotBefore,
            CreatedAt = job.CreatedAt,
            UpdatedAt = job.UpdatedAt,
            LeaseOwner = job.LeaseOwner,
            LeaseExpiresAt = job.LeaseExpiresAt,
            Result = Element(job.Result),
            LastError = job.LastError,
            FinishedAt = job.FinishedAt,
        };
    }

    /// <summary>The domain form of a job the API answered with.</summary>
    /// <param name="dto">The wire job.</param>
    /// <exception cref="KeelException">INTERNAL_ERROR when the answer has no job kind.</exception>
    public static Job FromDto(JobDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        return new Job(
            dto.Id,
            dto.Kind ?? throw new KeelException(ErrorCode.InternalError, "The server answered a job without a kind."),
            Text(dto.Payload) ?? "{}",
            dto.State,
            dto.Attempts,
            dto.MaxAttempts,
            dto.IdempotencyKey,
            dto.NotBefore,
            dto.CreatedAt,
            dto.UpdatedAt,
            dto.LeaseOwner,
            dto.LeaseExpiresAt,
            Text(dto.Result),
            dto.LastError,
            dto.FinishedAt);
    }

    /// <summary>JSON text of a wire value; null when absent.</summary>
    /// <param name="value">The value.</param>
    public static string? Text(JsonElement? value) => value is { } element && element.ValueKind != JsonValueKind.Undefined ? element.GetRawText() : null;

    /// <summary>A wire value of JSON text; null when absent.</summary>
    /// <param name="json">The JSON text.</param>
    public static JsonElement? Element(string? json)
    {
        if (json is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
