using System.Text;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.ML.Data;

namespace Keel.ML.Scoring;

/// <summary>
/// MLflow's JSON scoring formats (the body of <c>/invocations</c>): <c>dataframe_split</c>,
/// <c>dataframe_records</c>, <c>instances</c> and <c>inputs</c> in; <c>{"predictions": ...}</c> out.
/// </summary>
public static class ScoringJson
{
    private static readonly string[] InputFields = ["dataframe_split", "dataframe_records", "instances", "inputs"];

    /// <summary>Parses a scoring request into a batch.</summary>
    public static ColumnBatch ParseRequest(string json) => ParseRequest(Encoding.UTF8.GetBytes(json));

    /// <summary>Parses a scoring request (UTF-8 bytes) into a batch.</summary>
    public static ColumnBatch ParseRequest(ReadOnlyMemory<byte> utf8Json)
    {
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json.Span))
        {
            throw KeelException.InvalidParameter("The request body is not valid JSON: it is not valid UTF-8.");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException ex)
        {
            throw KeelException.InvalidParameter($"The request body is not valid JSON: {ex.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw InvalidFormat();
            }

            var fields = 0;
            JsonElement input = default;
            string? format = null;
            foreach (var candidate in InputFields)
            {
                if (root.TryGetProperty(candidate, out var value))
                {
                    fields++;
                    (format, input) = (candidate, value);
                }
            }

            if (fields == 1)
            {
                return format switch
                {
                    "dataframe_split" => ParseSplit(input),
                    "dataframe_records" => ParseRecords(input, "dataframe_records"),
                    _ => ParseTensors(input, format!),
                };
            }

            throw InvalidFormat();
        }
    }

    /// <summary>
    /// The response body. As MLflow pyfunc: one visible output gives a list of values, several give
    /// records. Probabilities of an ML.NET classifier are visible only when asked for.
    /// </summary>
    public static string FormatResponse(PredictionResult result, bool includeProbabilities = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteResponse(writer, result, includeProbabilities);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes the response body to a JSON writer.</summary>
    public static void WriteResponse(Utf8JsonWriter writer, PredictionResult result, bool includeProbabilities = false)
    {
        var visible = result.Outputs.Where(o => includeProbabilities || !o.HiddenByDefault).ToList();
        writer.WriteStartObject();
        writer.WritePropertyName("predictions");
        writer.WriteStartArray();
        for (var row = 0; row < result.RowCount; row++)
        {
            if (visible.Count == 1)
            {
                WriteRowValue(writer, visible[0].Column, row);
                continue;
            }

            writer.WriteStartObject();
            foreach (var o in visible)
            {
                writer.WritePropertyName(o.Column.Name);
                WriteRowValue(writer, o.Column, row);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    internal static void WriteRowValue(Utf8JsonWriter writer, BatchColumn column, int row)
    {
        if (column.Width == 1)
        {
            WriteValue(writer, column, row);
            return;
        }

        writer.WriteStartArray();
        for (var k = 0; k < column.Width; k++)
        {
            WriteValue(writer, column, (row * column.Width) + k);
        }

        writer.WriteEndArray();
    }

    internal static void WriteValue(Utf8JsonWriter writer, BatchColumn column, int index)
    {
        switch (column.Data)
        {
            case double[] d when double.IsFinite(d[index]):
                writer.WriteNumberValue(d[index]);
                break;
            case float[] f when float.IsFinite(f[index]):
                writer.WriteNumberValue(f[index]);
                break;
            case long[] l:
                writer.WriteNumberValue(l[index]);
                break;
            case bool[] b:
                writer.WriteBooleanValue(b[index]);
                break;
            case string?[] s when s[index] is not null:
                writer.WriteStringValue(s[index]);
                break;
            default:
                writer.WriteNullValue(); // NaN and missing: JSON has no NaN; pandas' to_json writes null too.
                break;
        }
    }

    private static KeelException InvalidFormat() => KeelException.InvalidParameter(
        "Invalid input. The input must be a JSON dictionary with exactly one of the input fields {'dataframe_split', 'dataframe_records', 'instances', 'inputs'}.");

    private static ColumnBatch ParseSplit(JsonElement split)
    {
        if (split.ValueKind != JsonValueKind.Object || !split.TryGetProperty("columns", out var cols) || !split.TryGetProperty("data", out var data))
        {
            throw KeelException.InvalidParameter("'dataframe_split' needs 'columns' and 'data'.");
        }

        if (cols.ValueKind != JsonValueKind.Array)
        {
            throw KeelException.InvalidParameter($"'dataframe_split.columns' must be a list of column names, not {Describe(cols)}.");
        }

        if (data.ValueKind != JsonValueKind.Array)
        {
            throw KeelException.InvalidParameter($"'dataframe_split.data' must be a list of rows (each a list of values), not {Describe(data)}.");
        }

        var builders = cols.EnumerateArray().Select((c, i) => new JsonColumnBuilder(c.ValueKind switch
        {
            JsonValueKind.String => c.GetString()!,
            JsonValueKind.Number => c.GetRawText(),
            _ => throw KeelException.InvalidParameter($"'dataframe_split.columns[{i}]' must be a column name (a string), not {Describe(c)}."),
        })).ToList();
        var r = 0;
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
            {
                throw KeelException.InvalidParameter($"'dataframe_split.data[{r}]' must be a list of values (one per column), not {Describe(row)}.");
            }

            var i = 0;
            foreach (var value in row.EnumerateArray())
            {
                if (i >= builders.Count)
                {
                    throw KeelException.InvalidParameter($"A 'dataframe_split' row has more values than the {builders.Count} columns.");
                }

                builders[i++].AddRow(value);
            }

            if (i != builders.Count)
            {
                throw KeelException.InvalidParameter($"A 'dataframe_split' row has {i} values for {builders.Count} columns.");
            }

            r++;
        }

        return new ColumnBatch(builders.Select(b => b.Build()));
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static ColumnBatch ParseRecords(JsonElement records, string field)
    {
        if (records.ValueKind != JsonValueKind.Array)
        {
            throw KeelException.InvalidParameter($"'{field}' must be a list of records (objects, one per row), not {Describe(records)}.");
        }

        var builders = new List<JsonColumnBuilder>();
        var byName = new Dictionary<string, JsonColumnBuilder>(StringComparer.Ordinal);
        var rows = 0;
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
            {
                throw KeelException.InvalidParameter($"'{field}[{rows}]' must be an object (a record), not {Describe(record)}.");
            }

            foreach (var prop in record.EnumerateObject())
            {
                if (!byName.TryGetValue(prop.Name, out var b))
                {
                    b = new JsonColumnBuilder(prop.Name);
                    for (var r = 0; r < rows; r++)
                    {
                        b.AddMissing();
                    }

                    byName[prop.Name] = b;
                    builders.Add(b);
                }

                b.AddRow(prop.Value);
            }

            rows++;
            foreach (var b in builders.Where(b => b.Rows < rows))
            {
                b.AddMissing();
            }
        }

        return new ColumnBatch(builders.Select(b => b.Build()));
    }

    private static ColumnBatch ParseTensors(JsonElement value, string field)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
            {
                // A dict of named tensors: each value is a list of rows (or one scalar per row).
                var columns = new List<BatchColumn>();
                foreach (var prop in value.EnumerateObject())
                {
                    var b = new JsonColumnBuilder(prop.Name);
                    if (prop.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var row in prop.Value.EnumerateArray())
                        {
                            b.AddRow(row);
                        }
                    }
                    else
                    {
                        b.AddRow(prop.Value);
                    }

                    columns.Add(b.Build());
                }

                return new ColumnBatch(columns);
            }

            case JsonValueKind.Array when value.GetArrayLength() > 0 && value[0].ValueKind == JsonValueKind.Object:
                // tf-serving "instances" of dicts: one record per row.
                return ParseRecords(value, field);
            case JsonValueKind.Array:
            {
                var b = new JsonColumnBuilder(string.Empty);
                foreach (var row in value.EnumerateArray())
                {
                    b.AddRow(row);
                }

                return new ColumnBatch(b.Build());
            }

            default:
                throw KeelException.InvalidParameter($"'{field}' must be a list or a dict of named tensors, not {Describe(value)}.");
        }
    }
}
