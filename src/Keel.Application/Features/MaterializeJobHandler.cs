using System.Globalization;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Jobs;

namespace Keel.Application.Features;

/// <summary>
/// Runs materialization as a <c>keel worker</c> job (kind <see cref="Kind"/>). The payload is a JSON
/// object: <c>views</c> (list; default every online view), <c>incremental</c> (default true),
/// <c>start</c> and <c>end</c> (ISO 8601; end default now), <c>overlap</c> (e.g. <c>1h</c>). Each view
/// runs under its lease (the materializer is built with the queue's lease store), so two workers
/// never write one view at once; a re-delivered job re-runs its window, which changes nothing.
/// </summary>
public sealed class MaterializeJobHandler(Func<Materializer> materializer) : IJobHandler
{
    /// <summary>The job kind.</summary>
    public const string Kind = "features-materialize";

    /// <inheritdoc/>
    string IJobHandler.Kind => Kind;

    /// <inheritdoc/>
    public async Task<string?> RunAsync(Job job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var request = ParsePayload(job.Payload);
        var results = await materializer().RunAsync(request, null, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("views");
            foreach (var r in results)
            {
                writer.WriteStartObject();
                writer.WriteString("view", r.View);
                writer.WriteNumber("version", r.Version);
                writer.WriteNumber("rows", r.Rows);
                writer.WriteNumber("seconds", Math.Round(r.Elapsed.TotalSeconds, 3));
                if (r.Skipped is { } skipped)
                {
                    writer.WriteString("skipped", skipped);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a job payload into a request.</summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming the field.</exception>
    public static MaterializeRequest ParsePayload(string? payload)
    {
        if (string.IsNullOrWhiteSpace(payload))
        {
            return new MaterializeRequest(Incremental: true);
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw KeelException.InvalidParameter($"A {Kind} job's payload must be a JSON object.");
            }

            List<string>? views = null;
            if (root.TryGetProperty("views", out var v) && v.ValueKind == JsonValueKind.Array)
            {
                views = [.. v.EnumerateArray().Select(e => e.GetString() ?? throw KeelException.InvalidParameter("views must be a list of view names."))];
            }

            var incremental = !root.TryGetProperty("incremental", out var inc) || inc.ValueKind != JsonValueKind.False;
            return new MaterializeRequest(
                views,
                Time(root, "start"),
                Time(root, "end"),
                incremental,
                root.TryGetProperty("overlap", out var o) && o.GetString() is { } text ? ParseDuration(text, "overlap") : null);
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"A {Kind} job's payload is not JSON: {e.Message}");
        }
    }

    /// <summary>Parses <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>2d</c> or <c>0</c>.</summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming <paramref name="field"/>.</exception>
    public static TimeSpan ParseDuration(string text, string field)
    {
        var t = text.Trim();
        if (t == "0")
        {
            return TimeSpan.Zero;
        }

        if (t.Length >= 2 && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 && double.IsFinite(n))
        {
            switch (char.ToLowerInvariant(t[^1]))
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
                case 'd': return TimeSpan.FromDays(n);
            }
        }

        throw KeelException.InvalidParameter($"Invalid {field} '{text}': expected a duration such as 90s, 30m, 1h or 2d (or 0).");
    }

    /// <summary>Parses an ISO 8601 time (UTC when no offset is given).</summary>
    /// <exception cref="KeelException">INVALID_PARAMETER_VALUE naming <paramref name="field"/>.</exception>
    public static DateTimeOffset ParseTime(string text, string field) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : throw KeelException.InvalidParameter($"Invalid {field} '{text}': expected an ISO 8601 time such as 2026-01-31T00:00:00Z.");

    private static DateTimeOffset? Time(JsonElement root, string field) =>
        root.TryGetProperty(field, out var e) && e.ValueKind == JsonValueKind.String ? ParseTime(e.GetString()!, field) : null;
}
