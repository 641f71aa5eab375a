using System.Text.Json;
using Keel.ML;
using Keel.ML.Manifest;

namespace Keel.Serving.Protocols;

/// <summary>Writes V2 infer responses and model metadata.</summary>
internal static class V2Response
{
    public static void WriteInfer(Utf8JsonWriter w, string modelName, string version, string? id, PredictionResult result)
    {
        w.WriteStartObject();
        w.WriteString("model_name"u8, modelName);
        w.WriteString("model_version"u8, version);
        if (id is not null)
        {
            w.WriteString("id"u8, id);
        }

        w.WriteStartArray("outputs"u8);
        foreach (var o in result.Outputs)
        {
            if (o.HiddenByDefault)
            {
                continue;
            }

            var c = o.Column;
            w.WriteStartObject();
            w.WriteString("name"u8, c.Name.Length == 0 ? "prediction" : c.Name);
            w.WriteString("datatype"u8, JsonValues.Datatype(c.Kind));
            WriteShape(w, o);
            w.WritePropertyName("data"u8);
            JsonValues.WriteArray(w, c);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// The model's own tensor shape when the flavor reports one (<c>[2, 1]</c> for two rows of a
    /// <c>[-1, 1]</c> output), else rows then the width when above 1.
    /// </summary>
    private static void WriteShape(Utf8JsonWriter w, PredictionOutput output)
    {
        var c = output.Column;
        w.WriteStartArray("shape"u8);
        if (output.Shape is { Count: > 0 } shape && Elements(shape) == (long)c.RowCount * c.Width)
        {
            foreach (var d in shape)
            {
                w.WriteNumberValue(d);
            }
        }
        else
        {
            w.WriteNumberValue(c.RowCount);
            if (c.Width > 1)
            {
                w.WriteNumberValue(c.Width);
            }
        }

        w.WriteEndArray();
    }

    private static long Elements(IReadOnlyList<long> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            n *= d;
        }

        return n;
    }

    public static void WriteMetadata(Utf8JsonWriter w, string name, IEnumerable<string> versions, IModel model)
    {
        w.WriteStartObject();
        w.WriteString("name"u8, name);
        w.WriteStartArray("versions"u8);
        foreach (var v in versions)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
        w.WriteString("platform"u8, model.Manifest.Flavors.ContainsKey("onnx") ? "onnx" : "mlnet");
        w.WriteStartArray("inputs"u8);
        if (model.Signature?.Inputs is { IsTensorBased: true } tensors)
        {
            WriteTensors(w, tensors.Tensors);
        }
        else
        {
            WriteColumns(w, model.InputColumns);
        }

        w.WriteEndArray();
        w.WriteStartArray("outputs"u8);
        if (model.Signature?.Outputs is { } outputs)
        {
            if (outputs.IsTensorBased)
            {
                WriteTensors(w, outputs.Tensors);
            }
            else
            {
                WriteColumns(w, outputs.Columns);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteColumns(Utf8JsonWriter w, IEnumerable<ColumnSpec> columns)
    {
        var i = 0;
        foreach (var c in columns)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, c.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("datatype"u8, c.Type switch
            {
                "double" => "FP64",
                "float" => "FP32",
                "long" => "INT64",
                "integer" => "INT32",
                "boolean" => "BOOL",
                _ => "BYTES",
            });
            w.WriteStartArray("shape"u8);
            w.WriteNumberValue(-1);
            w.WriteEndArray();
            w.WriteEndObject();
            i++;
        }
    }

    private static void WriteTensors(Utf8JsonWriter w, IEnumerable<TensorSpec> tensors)
    {
        var i = 0;
        foreach (var t in tensors)
        {
            w.WriteStartObject();
            w.WriteString("name"u8, t.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("datatype"u8, t.Dtype switch
            {
                "float64" => "FP64",
                "float32" => "FP32",
                "int64" => "INT64",
                "int32" => "INT32",
                "bool" => "BOOL",
                _ => "BYTES",
            });
            w.WriteStartArray("shape"u8);
            foreach (var d in t.Shape)
            {
                w.WriteNumberValue(d);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            i++;
        }
    }
}
