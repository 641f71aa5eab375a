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
internal sealed class PredictionRecordJson
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);

    public PredictionLogRecord ToLogRecord(in PredictionRecord r) => new(
        DateTimeOffset.FromUnixTimeMilliseconds(r.Timestamp),
        r.RequestId,
        r.Endpoint,
        r.Version,
        r.Role,
        r.LatencyMicros,
        Columns(r.Inputs.Columns),
        r.Outputs is { } outputs ? Columns(outputs.Outputs.Select(o => o.Column)) : null,
        r.Error);

    private string Columns(IEnumerable<BatchColumn> columns)
    {
        _buffer.Clear();
        using (var w = new Utf8JsonWriter(_buffer))
        {
            w.WriteStartObject();
            foreach (var c in columns)
            {
                // A tensor input sent without a name is logged under "input", as the JSON Lines log always did.
                w.WritePropertyName(c.Name.Length == 0 ? "input" : c.Name);
                JsonValues.WriteArray(w, c);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(_buffer.WrittenSpan);
    }
}
