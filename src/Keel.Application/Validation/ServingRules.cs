using System.Text.RegularExpressions;
using Keel.Core.Errors;
using Keel.Core.Serving;

namespace Keel.Application.Validation;

/// <summary>Argument rules of the serving use cases, checked once here so stores and runtimes can trust their input.</summary>
internal static partial class ServingRules
{
    public static readonly string[] Environments = ["dev", "staging", "prod"];

    public const string DefaultStickyKey = "header:x-keel-routing-key";

    public static string Name(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw KeelException.MissingParameter("name");
        }

        if (!NamePattern().IsMatch(name))
        {
            throw KeelException.InvalidParameter($"Invalid endpoint name '{name}': use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit.");
        }

        return name;
    }

    public static string Environment(string? environment)
    {
        var env = string.IsNullOrEmpty(environment) ? "dev" : environment;
        return Environments.Contains(env, StringComparer.Ordinal)
            ? env
            : throw KeelException.InvalidParameter($"Invalid environment '{env}': expected one of {string.Join(", ", Environments)}.");
    }

    public static string ModelUri(string? uri, string field = "model_uri")
    {
        if (string.IsNullOrEmpty(uri))
        {
            throw KeelException.MissingParameter(field);
        }

        return uri.StartsWith("models:/", StringComparison.Ordinal) || uri.StartsWith("runs:/", StringComparison.Ordinal)
            ? uri
            : throw KeelException.InvalidParameter($"Invalid {field} '{uri}': expected models:/NAME/VERSION, models:/NAME@ALIAS or runs:/RUN_ID/PATH.");
    }

    /// <summary>
    /// The <c>features</c> of an endpoint: exactly one of a service name and a list of
    /// <c>view:feature</c>; null when none. Whether they exist is checked against the registry when
    /// a request is enriched (definitions may be applied after the endpoint is created).
    /// </summary>
    public static EndpointFeatures? Features(EndpointFeatures? features)
    {
        if (features is null || (features.Service is null && features.Features is null))
        {
            return null;
        }

        if ((features.Service is not null) == (features.Features is not null))
        {
            throw KeelException.InvalidParameter("Invalid features: give either service (a feature service's name) or features (a list of view:feature), not both.");
        }

        if (features.Service is { } service)
        {
            return string.IsNullOrWhiteSpace(service) || service.Length > 256
                ? throw KeelException.InvalidParameter("Invalid features.service: a feature service's name of 1 to 256 characters.")
                : features with { Service = service.Trim() };
        }

        var list = features.Features!;
        if (list.Count is 0 or > MaxSensitiveColumns)
        {
            throw KeelException.InvalidParameter($"Invalid features.features: 1 to {MaxSensitiveColumns} references of the form view:feature.");
        }

        var parsed = new List<string>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            parsed.Add(Keel.Core.Features.FeatureReference.TryParse(list[i])?.ToString()
                ?? throw KeelException.InvalidParameter($"Invalid features.features[{i}] '{list[i]}': expected view:feature."));
        }

        return features with { Features = parsed };
    }

    /// <summary>The <c>sensitive_columns</c> of an endpoint: column → mask, hash or drop; null when none.</summary>
    public static IReadOnlyDictionary<string, SensitiveColumnMode>? SensitiveColumns(IReadOnlyDictionary<string, string>? columns)
    {
        if (columns is null || columns.Count == 0)
        {
            return null;
        }

        if (columns.Count > MaxSensitiveColumns)
        {
            throw KeelException.InvalidParameter($"Invalid sensitive_columns: at most {MaxSensitiveColumns} columns, not {columns.Count}.");
        }

        var modes = new Dictionary<string, SensitiveColumnMode>(StringComparer.Ordinal);
        foreach (var (column, mode) in columns)
        {
            if (string.IsNullOrEmpty(column) || column.Length > 256)
            {
                throw KeelException.InvalidParameter("Invalid sensitive_columns: a column name must be 1 to 256 characters.");
            }

            modes[column] = mode switch
            {
                "mask" => SensitiveColumnMode.Mask,
                "hash" => SensitiveColumnMode.Hash,
                "drop" => SensitiveColumnMode.Drop,
                _ => throw KeelException.InvalidParameter($"Invalid sensitive_columns['{column}'] '{mode}': expected mask, hash or drop."),
            };
        }

        return modes;
    }

    /// <summary>Most columns one endpoint may declare sensitive.</summary>
    public const int MaxSensitiveColumns = 1000;

    public static string? StickyKey(string? key)
    {
        if (key is null)
        {
            return null;
        }

        var ok = (key.StartsWith("header:", StringComparison.Ordinal) && key.Length > 7)
            || (key.StartsWith("field:", StringComparison.Ordinal) && key.Length > 6);
        return ok ? key : throw KeelException.InvalidParameter($"Invalid sticky_key '{key}': expected header:NAME or field:NAME.");
    }

    public static int Weight(int? weight)
    {
        var w = weight ?? throw KeelException.MissingParameter("weight");
        return w is >= 0 and <= 100 ? w : throw KeelException.InvalidParameter($"Invalid weight {w}: expected 0 to 100 (percent of traffic).");
    }

    public static int[] Steps(IReadOnlyList<int>? steps)
    {
        int[] s = steps is { Count: > 0 } ? [.. steps] : [10, 50, 100];
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] is < 1 or > 100 || (i > 0 && s[i] <= s[i - 1]))
            {
                throw KeelException.InvalidParameter($"Invalid steps [{string.Join(", ", s)}]: expected increasing percentages from 1 to 100.");
            }
        }

        return s[^1] == 100 ? s : throw KeelException.InvalidParameter($"Invalid steps [{string.Join(", ", s)}]: the last step must be 100.");
    }

    public static (double? Seconds, long? Requests) Hold(double? seconds, long? requests)
    {
        if (seconds is not null && requests is not null)
        {
            throw KeelException.InvalidParameter("Give hold_seconds or hold_requests, not both.");
        }

        if (seconds is < 0 || (seconds is { } sec && !double.IsFinite(sec)))
        {
            throw KeelException.InvalidParameter($"Invalid hold_seconds {seconds}: expected a non-negative number.");
        }

        if (requests is < 1)
        {
            throw KeelException.InvalidParameter($"Invalid hold_requests {requests}: expected at least 1.");
        }

        return seconds is null && requests is null ? (300, null) : (seconds, requests);
    }

    public static RolloutPolicy Policy(RolloutPolicy? policy)
    {
        var p = policy ?? RolloutPolicy.Default;
        if (p.MaxErrorRateIncrease < 0 || p.MaxP99LatencyRatio <= 0 || p.P99LatencySlackMs < 0 || p.MaxDivergence is < 0 or > 1 || p.MinRequests < 1)
        {
            throw KeelException.InvalidParameter("Invalid policy: limits must be non-negative, max_divergence at most 1 and min_requests at least 1.");
        }

        return p;
    }

    public static EndpointLimits Limits(EndpointLimits? limits)
    {
        var l = limits ?? EndpointLimits.Default;
        return l.MaxConcurrency >= 1 && l.MaxBatchRows >= 1 && l.TimeoutMs >= 1
            ? l
            : throw KeelException.InvalidParameter("Invalid limits: max_concurrency, max_batch_rows and timeout_ms must be at least 1.");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();
}
