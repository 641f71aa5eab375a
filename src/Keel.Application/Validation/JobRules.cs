using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keel.Core.Errors;
using Keel.Core.Jobs;

namespace Keel.Application.Validation;

/// <summary>Argument rules of the job queue, checked once here so every backend can trust its input.</summary>
internal static partial class JobRules
{
    public const int MaxPayloadBytes = 1024 * 1024;
    public const int MaxResultBytes = 1024 * 1024;
    public const int MaxErrorLength = 8000;
    public const int MaxAttemptsLimit = 100;
    public const int MaxKinds = 32;
    public const int MaxListResults = 1000;
    public static readonly TimeSpan MinLease = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxLease = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    public static string Kind(string? kind, string field = "kind")
    {
        if (string.IsNullOrEmpty(kind))
        {
            throw KeelException.MissingParameter(field);
        }

        return KindPattern().IsMatch(kind)
            ? kind
            : throw KeelException.InvalidParameter($"Invalid {field} '{kind}': use 1-64 lowercase letters, digits, '-', '_' or '.', starting with a letter or digit.");
    }

    public static IReadOnlyList<string> Kinds(IReadOnlyList<string>? kinds)
    {
        if (kinds is null || kinds.Count == 0)
        {
            throw KeelException.MissingParameter("kinds");
        }

        if (kinds.Count > MaxKinds)
        {
            throw KeelException.InvalidParameter($"Invalid kinds: at most {MaxKinds} kinds per lease, got {kinds.Count}.");
        }

        return [.. kinds.Select(k => Kind(k, "kinds")).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>One JSON value as text, at most <paramref name="maxBytes"/> UTF-8 bytes; null becomes <paramref name="whenNull"/>.</summary>
    public static string? Json(string? json, string field, int maxBytes, string? whenNull)
    {
        if (json is null)
        {
            return whenNull;
        }

        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > maxBytes)
        {
            throw KeelException.InvalidParameter($"Invalid {field}: at most {maxBytes} bytes of JSON, got {bytes}.");
        }

        try
        {
            using var _ = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"Invalid {field}: it is not one JSON value ({e.Message}).");
        }

        return json;
    }

    public static string? IdempotencyKey(string? key)
    {
        if (key is null)
        {
            return null;
        }

        return key.Length is >= 1 and <= 256 && !key.Any(char.IsControl)
            ? key
            : throw KeelException.InvalidParameter("Invalid idempotency_key: use 1-256 characters, no control characters.");
    }

    public static int MaxAttempts(int? value)
    {
        var attempts = value ?? NewJob.DefaultMaxAttempts;
        return attempts is >= 1 and <= MaxAttemptsLimit
            ? attempts
            : throw KeelException.InvalidParameter($"Invalid max_attempts {attempts}: it must be between 1 and {MaxAttemptsLimit}.");
    }

    public static long? NotBefore(long? value) => value is null or >= 0
        ? value
        : throw KeelException.InvalidParameter($"Invalid not_before {value}: it must be Unix milliseconds, not negative.");

    public static string WorkerId(string? worker)
    {
        if (string.IsNullOrEmpty(worker))
        {
            throw KeelException.MissingParameter("worker_id");
        }

        return worker.Length <= 200 && !worker.Any(char.IsControl)
            ? worker
            : throw KeelException.InvalidParameter("Invalid worker_id: use 1-200 characters, no control characters.");
    }

    public static TimeSpan Lease(double? seconds, string field = "lease_seconds")
    {
        if (seconds is null)
        {
            throw KeelException.MissingParameter(field);
        }

        return Within(seconds.Value, field, MinLease, MaxLease);
    }

    public static TimeSpan? Delay(double? seconds, string field = "retry_delay_seconds") =>
        seconds is null ? null : Within(seconds.Value, field, TimeSpan.Zero, MaxDelay);

    public static string Token(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            throw KeelException.MissingParameter("lease_token");
        }

        return token.Length <= 100
            ? token
            : throw KeelException.InvalidParameter("Invalid lease_token: at most 100 characters.");
    }

    public static string Error(string? error)
    {
        if (string.IsNullOrEmpty(error))
        {
            throw KeelException.MissingParameter("error");
        }

        // A long stack trace is cut, not refused: the failure must still be recorded.
        return error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
    }

    public static long JobId(long id) => id > 0
        ? id
        : throw KeelException.InvalidParameter($"Invalid job_id {id}: it must be a positive integer.");

    public static int MaxResults(int? value)
    {
        var max = value ?? 100;
        return max is >= 1 and <= MaxListResults
            ? max
            : throw KeelException.InvalidParameter($"Invalid max_results {max}: it must be between 1 and {MaxListResults}.");
    }

    private static TimeSpan Within(double seconds, string field, TimeSpan min, TimeSpan max)
    {
        if (double.IsNaN(seconds) || seconds < min.TotalSeconds || seconds > max.TotalSeconds)
        {
            throw KeelException.InvalidParameter(string.Create(
                CultureInfo.InvariantCulture, $"Invalid {field} {seconds}: it must be between {min.TotalSeconds} and {max.TotalSeconds} seconds."));
        }

        return TimeSpan.FromSeconds(seconds);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex KindPattern();
}
