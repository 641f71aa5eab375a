using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Server.Http;

/// <summary>
/// Reads a log-batch body straight into domain values. Hand-written over Utf8JsonReader because
/// log-batch is the ingestion hot path (1000 metrics a request): going through the wire DTOs costs a
/// thousand objects and a thousand key strings per request, which measured as a large share of the
/// server's CPU per batch. Metric keys repeat within a batch, so each distinct key is decoded once.
/// Accepts what the DTO path accepts: int64 as numbers or strings, NaN/±Infinity as strings,
/// run_uuid for run_id, unknown members ignored, a body that is a JSON string holding the object.
/// The body reaches it through <see cref="WireIO.ReadBodyAsync"/>, which has checked its size and UTF-8.
/// </summary>
internal static class LogBatchReader
{
    private const int MaxCachedKeys = 64;

    public static LogBatchBody Read(ReadOnlySequence<byte> body)
    {
        if (body.IsSingleSegment)
        {
            return Read(body.FirstSpan);
        }

        // Copying a (<= 1 MB) multi-segment body once is cheaper than reading JSON across segments.
        var length = (int)body.Length;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            body.CopyTo(rented);
            return Read(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static LogBatchBody Read(ReadOnlySpan<byte> json)
    {
        try
        {
            return ReadBody(json);
        }
        catch (BadBatchException e)
        {
            throw RequestErrors.Describe(new ReadOnlySequence<byte>(json.ToArray()), e.Path, WireSchemas.LogBatch, e.Bound);
        }
        catch (JsonException e)
        {
            throw RequestErrors.Describe(new ReadOnlySequence<byte>(json.ToArray()), e.Path, WireSchemas.LogBatch);
        }
        catch (InvalidOperationException)
        {
            throw RequestErrors.Describe(new ReadOnlySequence<byte>(json.ToArray()), null, WireSchemas.LogBatch);
        }
    }

    private static LogBatchBody ReadBody(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowMultipleValues = true });
        if (!reader.Read() || reader.TokenType == JsonTokenType.Null)
        {
            WireIO.EnsureEnd(ref reader);
            return new LogBatchBody(null, [], [], []);
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            var inner = reader.GetString() ?? "null";
            WireIO.EnsureEnd(ref reader);
            return ReadBody(Encoding.UTF8.GetBytes(inner));
        }

        var body = ReadObject(ref reader, json.Length);
        WireIO.EnsureEnd(ref reader);
        return body;
    }

    private static LogBatchBody ReadObject(ref Utf8JsonReader reader, int bodyLength)
    {
        Expect(ref reader, JsonTokenType.StartObject, "$");
        string? runId = null;
        string? runUuid = null;
        var metrics = new List<Metric>();
        var @params = new List<Param>();
        var tags = new List<Tag>();
        var keys = new KeyCache();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("run_id"u8))
            {
                reader.Read();
                runId = ReadString(ref reader, "run_id");
            }
            else if (reader.ValueTextEquals("run_uuid"u8))
            {
                reader.Read();
                runUuid = ReadString(ref reader, "run_uuid");
            }
            else if (reader.ValueTextEquals("metrics"u8))
            {
                reader.Read();
                // A point takes at least ~40 bytes of JSON: sizing the list once saves its regrowth copies.
                metrics.EnsureCapacity(Math.Min(bodyLength / 40, RequestLimits.MaxMetricsPerBatch + 1));
                ReadArray(ref reader, "metrics", metrics, keys, ReadMetric);
            }
            else if (reader.ValueTextEquals("params"u8))
            {
                reader.Read();
                ReadArray(ref reader, "params", @params, keys, static (ref Utf8JsonReader r, ItemPath path, KeyCache _) =>
                {
                    var (k, v) = ReadKeyValue(ref r, path);
                    return new Param(k, v);
                });
            }
            else if (reader.ValueTextEquals("tags"u8))
            {
                reader.Read();
                ReadArray(ref reader, "tags", tags, keys, static (ref Utf8JsonReader r, ItemPath path, KeyCache _) =>
                {
                    var (k, v) = ReadKeyValue(ref r, path);
                    return new Tag(k, v);
                });
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return new LogBatchBody(runId ?? runUuid, metrics, @params, tags);
    }

    private delegate T ItemReader<out T>(ref Utf8JsonReader reader, ItemPath path, KeyCache keys);

    private static void ReadArray<T>(ref Utf8JsonReader reader, string name, List<T> into, KeyCache keys, ItemReader<T> item)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        Expect(ref reader, JsonTokenType.StartArray, name);
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            into.Add(item(ref reader, new ItemPath(name, index), keys));
            index++;
        }
    }

    private static Metric ReadMetric(ref Utf8JsonReader reader, ItemPath path, KeyCache keys)
    {
        Expect(ref reader, JsonTokenType.StartObject, path);
        string? key = null;
        double? value = null;
        long? timestamp = null;
        long step = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("key"u8))
            {
                reader.Read();
                key = reader.TokenType == JsonTokenType.String ? keys.Get(ref reader) : reader.TokenType == JsonTokenType.Null ? null : throw Invalid(path.Member("key"));
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                value = ReadDouble(ref reader, path, "value");
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                timestamp = ReadInt64(ref reader, path, "timestamp");
            }
            else if (reader.ValueTextEquals("step"u8))
            {
                reader.Read();
                step = ReadInt64(ref reader, path, "step") ?? 0;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // The body binds, but MLflow's handler requires these (its "metrics" rule names the whole list).
        if (string.IsNullOrEmpty(key) || value is null || timestamp is null)
        {
            throw new BadBatchException(path.ToString(), bound: true);
        }

        return new Metric(key, value.Value, timestamp.Value, step);
    }

    private static (string Key, string Value) ReadKeyValue(ref Utf8JsonReader reader, ItemPath path)
    {
        Expect(ref reader, JsonTokenType.StartObject, path);
        string? key = null;
        string? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("key"u8))
            {
                reader.Read();
                key = ReadString(ref reader, path, "key");
            }
            else if (reader.ValueTextEquals("value"u8))
            {
                reader.Read();
                value = ReadString(ref reader, path, "value");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (string.IsNullOrEmpty(key))
        {
            throw new BadBatchException(path.ToString(), bound: true);
        }

        return (key, value ?? throw KeelException.MissingParameter(path.Member("value")));
    }

    private static string? ReadString(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw Invalid(path),
    };

    private static string? ReadString(ref Utf8JsonReader reader, ItemPath item, string member) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw Invalid(item.Member(member)),
    };

    private static double? ReadDouble(ref Utf8JsonReader reader, ItemPath item, string member)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw OutOfRange(item.Member(member), Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.String:
                if (reader.ValueTextEquals("NaN"u8))
                {
                    return double.NaN;
                }

                if (reader.ValueTextEquals("Infinity"u8))
                {
                    return double.PositiveInfinity;
                }

                if (reader.ValueTextEquals("-Infinity"u8))
                {
                    return double.NegativeInfinity;
                }

                var text = reader.GetString();
                return !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? throw Invalid(item.Member(member))
                    : double.IsInfinity(parsed) && text!.Any(char.IsAsciiDigit) ? throw OutOfRange(item.Member(member), text)
                    : parsed;
            case JsonTokenType.Null:
                return null;
            default:
                throw Invalid(item.Member(member));
        }
    }

    private static long? ReadInt64(ref Utf8JsonReader reader, ItemPath item, string member) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.TryGetInt64(out var l) ? l : throw Invalid(item.Member(member)),
        JsonTokenType.String => long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw Invalid(item.Member(member)),
        JsonTokenType.Null => null,
        _ => throw Invalid(item.Member(member)),
    };

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path)
    {
        if (reader.TokenType != type)
        {
            throw Invalid(path);
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, ItemPath path)
    {
        if (reader.TokenType != type)
        {
            throw Invalid(path.ToString());
        }
    }

    /// <summary>
    /// Where an item sits (<c>metrics[12]</c>), spelled out only when an error names it: building the
    /// path strings of every point up front cost thousands of strings per 1000-point request.
    /// </summary>
    private readonly record struct ItemPath(string Array, int Index)
    {
        public string Member(string member) => ToString() + "." + member;

        public override string ToString() => Array + "[" + Index.ToString(CultureInfo.InvariantCulture) + "]";
    }

    private static BadBatchException Invalid(string field) => new(field, bound: false);

    /// <summary>
    /// Where the body stopped making sense, and whether it was still well typed there (MLflow checks
    /// field types only for a body its parser rejected).
    /// </summary>
    private sealed class BadBatchException(string path, bool bound) : Exception
    {
        public string Path { get; } = path == "$" ? path : "$." + path;

        public bool Bound { get; } = bound;
    }

    private static KeelException OutOfRange(string field, string raw) =>
        KeelException.InvalidParameter(
            $"Invalid value {raw} for parameter '{field}' supplied. The number is outside the range of a 64-bit float; send \"Infinity\" or \"-Infinity\" as a string for an infinite value. See the API docs for more information about request parameters.");


    /// <summary>Distinct metric keys of one request, decoded once each.</summary>
    private sealed class KeyCache
    {
        private readonly List<(byte[] Utf8, string Text)> _entries = [];

        public string Get(ref Utf8JsonReader reader)
        {
            foreach (var (utf8, text) in _entries)
            {
                if (reader.ValueTextEquals(utf8))
                {
                    return text;
                }
            }

            var key = reader.GetString()!;
            if (_entries.Count < MaxCachedKeys)
            {
                _entries.Add((Encoding.UTF8.GetBytes(key), key));
            }

            return key;
        }
    }
}

/// <summary>A parsed log-batch request.</summary>
internal sealed record LogBatchBody(string? RunId, List<Metric> Metrics, List<Param> Params, List<Tag> Tags);
