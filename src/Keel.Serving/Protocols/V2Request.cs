using System.Buffers;
using System.Text.Json;
using Keel.Core.Errors;
using Keel.ML.Data;

namespace Keel.Serving.Protocols;

/// <summary>
/// Reads an Open Inference Protocol (KServe V2) infer request straight from the body bytes into a
/// <see cref="ColumnBatch"/> with <see cref="Utf8JsonReader"/>: no DOM, one array per input.
/// Each input becomes a column named as the input; shape [N] or [N, 1] is one value per row,
/// [N, K] a K-wide tensor column. Errors name the offending field. The body comes through the
/// server's request reader, which has checked its content type, size and UTF-8.
/// </summary>
internal static class V2Request
{
    /// <summary>Dimensions of an input's shape.</summary>
    public const int MaxShapeDimensions = 8;

    public static (ColumnBatch Batch, string? Id) Parse(ReadOnlySequence<byte> body)
    {
        // Plain JSON, as every other route reads it: comments and trailing commas are refused.
        var reader = new Utf8JsonReader(body);
        try
        {
            return ParseRoot(ref reader);
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"The request body is not valid JSON: {e.Message}");
        }
    }

    private static (ColumnBatch, string?) ParseRoot(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw KeelException.InvalidParameter("The request body must be a JSON object with 'inputs'.");
        }

        string? id = null;
        List<BatchColumn>? columns = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("inputs"u8))
            {
                reader.Read();
                columns = ParseInputs(ref reader);
            }
            else if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw KeelException.InvalidParameter("Field 'id' must be a string.");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw KeelException.InvalidParameter("Malformed JSON in request body: unexpected content after the JSON value.");
        }

        if (columns is null || columns.Count == 0)
        {
            throw KeelException.InvalidParameter("Missing field 'inputs': expected a non-empty list of tensors with name, shape, datatype and data.");
        }

        return (new ColumnBatch(columns), id);
    }

    private static List<BatchColumn> ParseInputs(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw KeelException.InvalidParameter("Field 'inputs' must be a list.");
        }

        var columns = new List<BatchColumn>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            columns.Add(ParseTensor(ref reader, columns.Count));
        }

        return columns;
    }

    private static BatchColumn ParseTensor(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw KeelException.InvalidParameter($"inputs[{index}] must be an object.");
        }

        string? name = null;
        string? datatype = null;
        long[]? shape = null;
        var data = new V2Data();
        var sawData = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("name"u8))
            {
                reader.Read();
                name = reader.TokenType == JsonTokenType.String ? reader.GetString() : throw KeelException.InvalidParameter($"inputs[{index}].name must be a string.");
            }
            else if (reader.ValueTextEquals("datatype"u8))
            {
                reader.Read();
                datatype = reader.TokenType == JsonTokenType.String ? Datatype(ref reader) : throw KeelException.InvalidParameter($"inputs[{index}].datatype must be a string.");
            }
            else if (reader.ValueTextEquals("shape"u8))
            {
                reader.Read();
                shape = ParseShape(ref reader, index);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                data.ReadNested(ref reader, index);
                sawData = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        var label = name is null ? $"inputs[{index}]" : $"input '{name}'";
        if (name is null)
        {
            throw KeelException.InvalidParameter($"Missing field inputs[{index}].name.");
        }

        if (datatype is null)
        {
            throw KeelException.InvalidParameter($"Missing field 'datatype' of {label}.");
        }

        if (shape is null)
        {
            throw KeelException.InvalidParameter($"Missing field 'shape' of {label}.");
        }
        if (!sawData)
        {
            throw KeelException.InvalidParameter($"Missing field 'data' of {label}.");
        }

        if (shape.Length == 0 || shape.Any(d => d < 0))
        {
            throw KeelException.InvalidParameter($"Invalid 'shape' of {label}: expected [rows] or [rows, width] with non-negative sizes.");
        }

        // Multiplying in long could overflow into a size that happens to match; stop past the data's size.
        long expected = 1;
        foreach (var d in shape)
        {
            expected = d == 0 || expected <= data.Count / Math.Max(d, 1) ? expected * d : long.MaxValue;
        }

        if (expected != data.Count)
        {
            throw KeelException.InvalidParameter(expected == long.MaxValue
                ? $"The 'data' of {label} has {data.Count} values, far fewer than its shape [{string.Join(", ", shape)}] needs."
                : $"The 'data' of {label} has {data.Count} values but its shape [{string.Join(", ", shape)}] needs {expected}.");
        }

        var width = shape.Length == 1 || shape[0] == 0 ? 1 : (int)(expected / shape[0]);
        return data.ToColumn(name, datatype, width, label);
    }

    private static readonly string[] Datatypes = ["FP32", "FP64", "INT64", "INT32", "BOOL", "BYTES", "FP16", "INT8", "INT16", "UINT8", "UINT16", "UINT32", "UINT64"];

    // The datatype is one of a few constants: match it without allocating a string per input.
    private static string? Datatype(ref Utf8JsonReader reader)
    {
        foreach (var known in Datatypes)
        {
            if (reader.ValueTextEquals(known))
            {
                return known;
            }
        }

        return reader.GetString();
    }

    private static long[] ParseShape(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw KeelException.InvalidParameter($"inputs[{index}].shape must be a list of integers.");
        }

        Span<long> dims = stackalloc long[MaxShapeDimensions];
        var n = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var d) || n == dims.Length)
            {
                throw KeelException.InvalidParameter($"inputs[{index}].shape must be a list of at most {MaxShapeDimensions} integers.");
            }

            dims[n++] = d;
        }

        return dims[..n].ToArray();
    }
}
