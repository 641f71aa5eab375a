using System.Buffers;
using System.Text;
using System.Text.Json;
using Keel.Core.Predictions;
using Keel.ML.Data;

namespace Keel.Serving.Logging;

/// <summary>
/// Turns a queued record (references to the request's batch and result) into the stored shape, with
/// inputs and outputs as compact JSON. Runs on the writer's thread, so serving never pays for it.
/// Not thread-safe: one per writer.
/// </summary>
internal sealed class PredictionRecordJson(PredictionLogProtection? protection = null)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    public PredictionLogRecord ToLogRecord(in PredictionRecord r) => new(
        DateTimeOffset.FromUnixTimeMilliseconds(r.Timestamp),
        r.RequestId,
        r.Endpoint,
        r.Version,
        r.Role,
        r.LatencyMicros,
        Columns(r.Inputs.Columns, r.Sensitive),
        r.Outputs is { } outputs ? Columns(outputs.Outputs.Select(o => o.Column), null) : null,
        r.Error);

    private static readonly PredictionLogProtection MaskOnly = new([]);

    private string Columns(IEnumerable<BatchColumn> columns, IReadOnlyDictionary<string, Keel.Core.Serving.SensitiveColumnMode>? sensitive)
    {
        _buffer.Clear();
        using (var w = new Utf8JsonWriter(_buffer))
        {
            w.WriteStartObject();
            foreach (var c in columns)
            {
                // A tensor input sent without a name is logged under "input", as the JSON Lines log always did.
                var name = c.Name.Length == 0 ? "input" : c.Name;
                if (sensitive is not null && sensitive.TryGetValue(name, out var mode))
                {
                    // Never the raw value: without a key to hash with, a hashed column is masked.
                    (protection ?? MaskOnly).TryWrite(w, name, c, protection is null && mode == Keel.Core.Serving.SensitiveColumnMode.Hash ? Keel.Core.Serving.SensitiveColumnMode.Mask : mode);
                    continue;
                }

                w.WritePropertyName(name);
                JsonValues.WriteArray(w, c);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }
}
