using System.Text.Json;
using Keel.Core.Errors;
using Keel.ML.Data;

namespace Keel.ML.Scoring;

/// <summary>
/// Collects JSON values of one column (or one tensor, flattened row by row) and infers its type as
/// pandas would for MLflow's scoring server: integers → long, other numbers → double, strings, bools.
/// </summary>
internal sealed class JsonColumnBuilder
{
    private readonly List<JsonElement> _values = [];
    private int _width = -1;

    public JsonColumnBuilder(string name) => Name = name;

    public string Name { get; }

    public int Rows { get; private set; }

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
        foreach (var v in _values)
        {
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
                    allIntegral = false; // A missing number becomes NaN, which needs double.
                    break;
            }
        }

        if (anyString || (anyBool && anyNumber))
        {
            return BatchColumn.Of(Name, _values.Select(AsString).ToArray(), width);
        }

        if (anyBool)
        {
            return BatchColumn.Of(Name, _values.Select(v => v.ValueKind == JsonValueKind.True).ToArray(), width);
        }

        if (anyNumber && allIntegral)
        {
            return BatchColumn.Of(Name, _values.Select(v => v.GetInt64()).ToArray(), width);
        }

        return BatchColumn.Of(Name, _values.Select(v => v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN).ToArray(), width);
    }

    private static string? AsString(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => v.GetRawText(),
    };

    private void Flatten(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                Flatten(item);
            }
        }
        else
        {
            _values.Add(value);
        }
    }
}
