using System.Text.Json;
using Keel.Core.Errors;
using Keel.ML.Data;

namespace Keel.ML.Scoring;

/// <summary>
/// Collects JSON values of one column (or one tensor, flattened row by row) and infers its type as
/// pandas would for MLflow's scoring server: integers → long, other numbers → double, strings, bools.
/// What a model could only be fed by guessing is refused, naming the column and the row: an object
/// as a value, and null (or a missing record key) in a number or boolean column, which would
/// otherwise be scored as NaN or false. A missing number is sent as the string "NaN".
/// </summary>
internal sealed class JsonColumnBuilder
{
    private readonly List<JsonElement> _values = [];
    private int _width = -1;

    public JsonColumnBuilder(string name) => Name = name;

    public string Name { get; }

    public int Rows { get; private set; }

    private string Label => Name.Length == 0 ? "The input tensor" : $"Column '{Name}'";

    /// <summary>Adds one row's value; an array is a tensor row and is flattened.</summary>
    public void AddRow(JsonElement value)
    {
        var before = _values.Count;
        Flatten(value);
        var width = _values.Count - before;
        if (_width < 0)
        {
            _width = width;
        }
        else if (width != _width)
        {
            throw KeelException.InvalidParameter($"Input '{Name}' has rows of different shapes ({_width} and {width} values).");
        }

        Rows++;
    }

    /// <summary>Adds a missing value (a record without this key).</summary>
    public void AddMissing()
    {
        _values.Add(default);
        _width = _width < 0 ? 1 : _width;
        Rows++;
    }

    public BatchColumn Build()
    {
        var width = Math.Max(_width, 1);
        bool anyString = false, anyNumber = false, anyBool = false, allIntegral = true;
        var firstMissing = -1;
        for (var i = 0; i < _values.Count; i++)
        {
            var v = _values[i];
            switch (v.ValueKind)
            {
                case JsonValueKind.String:
                    anyString = true;
                    break;
                case JsonValueKind.Number:
                    anyNumber = true;
                    allIntegral &= v.TryGetInt64(out _);
                    break;
                case JsonValueKind.True or JsonValueKind.False:
                    anyBool = true;
                    break;
                default:
                    firstMissing = firstMissing < 0 ? i : firstMissing;
                    break;
            }
        }

        if (anyString || (anyBool && anyNumber))
        {
            return BatchColumn.Of(Name, _values.Select(AsString).ToArray(), width);
        }

        if (firstMissing >= 0 && (anyNumber || anyBool))
        {
            var kind = anyNumber ? "number" : "boolean";
            throw KeelException.InvalidParameter(
                $"{Label} holds null in row {firstMissing / width}; a {kind} column needs a {kind} in every row (send the string \"NaN\" for a missing number).");
        }

        if (anyBool)
        {
            return BatchColumn.Of(Name, _values.Select(v => v.ValueKind == JsonValueKind.True).ToArray(), width);
        }

        if (anyNumber && allIntegral)
        {
            return BatchColumn.Of(Name, _values.Select(v => v.GetInt64()).ToArray(), width);
        }

        if (anyNumber)
        {
            var doubles = new double[_values.Count];
            for (var i = 0; i < doubles.Length; i++)
            {
                doubles[i] = _values[i].TryGetDouble(out var d) && double.IsFinite(d)
                    ? d
                    : throw KeelException.InvalidParameter(
                        $"{Label} holds {_values[i].GetRawText()} in row {i / width}, which is outside the range of a 64-bit float.");
            }

            return BatchColumn.Of(Name, doubles, width);
        }

        // Only nulls: the type is unknown; a model that needs numbers refuses the missing values.
        return BatchColumn.Of(Name, new string?[_values.Count], width);
    }

    private static string? AsString(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => v.GetRawText(),
    };

    private void Flatten(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    Flatten(item);
                }

                break;
            case JsonValueKind.Object:
                throw KeelException.InvalidParameter(
                    $"{Label} holds a JSON object in row {Rows}; values must be numbers, strings, booleans or null.");
            default:
                _values.Add(value);
                break;
        }
    }
}
