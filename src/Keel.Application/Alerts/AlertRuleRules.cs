using System.Globalization;
using System.Text.RegularExpressions;
using Keel.Core.Errors;
using Keel.Core.Monitoring;
using Keel.Core.Wire;

namespace Keel.Application.Alerts;

/// <summary>
/// The argument rules of alert rules, checked once here so stores can trust their input. Every
/// refusal names the rule and the field.
/// </summary>
internal static partial class AlertRuleRules
{
    public const int MaxWebhooks = 10;
    public const int MaxUrlLength = 2048;
    public const int MaxFor = 1000;
    public const int MaxSecretLength = 256;
    public const int MaxActorLength = 256;

    /// <summary>A rule or endpoint name: as endpoint names are written.</summary>
    public static string Name(string? name, string field, string? rule = null)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw KeelException.InvalidParameter($"{Of(rule)}missing '{field}': it is required.");
        }

        return NamePattern().IsMatch(name)
            ? name
            : throw KeelException.InvalidParameter($"{Of(rule)}invalid {field} '{Truncate(name)}': use 1-64 letters, digits, '-', '_' or '.', starting with a letter or digit.");
    }

    /// <summary>Checks and defaults a rule as written.</summary>
    public static NewAlertRule Check(AlertRuleRequest? r, int? index = null)
    {
        if (r is null)
        {
            throw KeelException.InvalidParameter($"Alert rule{(index is { } i ? string.Create(CultureInfo.InvariantCulture, $" #{i + 1}") : string.Empty)} is empty: it needs at least name, endpoint, metric, window and a threshold.");
        }

        var name = Name(r.Name, "name", index is { } n ? string.Create(CultureInfo.InvariantCulture, $"#{n + 1}") : null);
        var endpoint = Name(r.Endpoint, "endpoint", name);
        var metric = Field(name, () => MonitoringMetric.Parse(r.Metric ?? throw Missing(name, "metric"), "metric")).ToString();
        var window = Field(name, () => MonitoringWindow.Parse(r.Window ?? throw Missing(name, "window"), "window")).ToString();
        var direction = r.Direction switch
        {
            null or "above" => AlertDirection.Above,
            "below" => AlertDirection.Below,
            _ => throw Invalid(name, $"invalid direction '{Truncate(r.Direction)}': it must be 'above' or 'below'"),
        };

        if (r.Warning is null && r.Critical is null)
        {
            throw Invalid(name, "no threshold: set 'warning', 'critical' or both");
        }

        foreach (var (field, value) in new[] { ("warning", r.Warning), ("critical", r.Critical) })
        {
            if (value is { } v && !double.IsFinite(v))
            {
                throw Invalid(name, $"invalid {field} {v.ToString(CultureInfo.InvariantCulture)}: it must be a finite number");
            }
        }

        if (r.Warning is { } w && r.Critical is { } c)
        {
            var ordered = direction == AlertDirection.Above ? w < c : w > c;
            if (!ordered)
            {
                var rule = direction == AlertDirection.Above
                    ? "with direction 'above' the warning threshold must be below the critical one"
                    : "with direction 'below' the warning threshold must be above the critical one";
                throw Invalid(name, string.Create(CultureInfo.InvariantCulture, $"thresholds out of order (warning {w}, critical {c}): {rule}"));
            }
        }

        var minSamples = r.MinSamples ?? 1;
        if (minSamples < 0)
        {
            throw Invalid(name, string.Create(CultureInfo.InvariantCulture, $"invalid min_samples {minSamples}: it must be 0 or more"));
        }

        var forWindows = r.For ?? 1;
        if (forWindows is < 1 or > MaxFor)
        {
            throw Invalid(name, string.Create(CultureInfo.InvariantCulture, $"invalid for {forWindows}: it must be a whole number of windows from 1 to {MaxFor}"));
        }

        var webhooks = r.Webhooks ?? [];
        if (webhooks.Count > MaxWebhooks)
        {
            throw Invalid(name, string.Create(CultureInfo.InvariantCulture, $"{webhooks.Count} webhooks: at most {MaxWebhooks}"));
        }

        foreach (var url in webhooks)
        {
            Webhook(name, url);
        }

        if (webhooks.Distinct(StringComparer.Ordinal).Count() != webhooks.Count)
        {
            throw Invalid(name, "a webhook is listed twice");
        }

        if (r.Secret is { } secret && (secret.Length is 0 or > MaxSecretLength || secret.Any(char.IsControl)))
        {
            throw Invalid(name, $"invalid secret: it must be 1 to {MaxSecretLength} characters without control characters");
        }

        if (r.ExpectedVersion is < 0)
        {
            throw Invalid(name, "invalid expected_version: it must be 0 (a new rule) or the version read");
        }

        return new NewAlertRule(name, endpoint, metric, window, r.Warning, r.Critical, direction, minSamples, (int)forWindows, [.. webhooks], r.Enabled ?? true, r.Secret);
    }

    public static string Actor(string? actor, string field = "by")
    {
        if (actor is null)
        {
            return "anonymous";
        }

        return actor.Length is 0 or > MaxActorLength || actor.Any(char.IsControl)
            ? throw KeelException.InvalidParameter($"Invalid value '{Truncate(actor)}' for '{field}': it must be 1 to {MaxActorLength} characters without control characters.")
            : actor;
    }

    private static void Webhook(string rule, string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0 || url.Any(char.IsWhiteSpace))
        {
            throw Invalid(rule, $"invalid webhook '{Truncate(url ?? string.Empty)}': it must be an absolute http:// or https:// URL of at most {MaxUrlLength} characters");
        }
    }

    private static T Field<T>(string rule, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (KeelException e) when (e.Code == ErrorCode.InvalidParameterValue)
        {
            throw KeelException.InvalidParameter($"Alert rule '{rule}': {e.Message}");
        }
    }

    private static KeelException Missing(string rule, string field) => KeelException.InvalidParameter($"Alert rule '{rule}': missing '{field}': it is required.");

    private static KeelException Invalid(string rule, string what) => KeelException.InvalidParameter($"Alert rule '{rule}': {what}.");

    private static string Of(string? rule) => rule is null ? "Alert rule: " : $"Alert rule '{rule}': ";

    private static string Truncate(string value) => value.Length > 80 ? value[..80] + "…" : value;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
