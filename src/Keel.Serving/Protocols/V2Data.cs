using System.Text.Json;
using Keel.Core.Errors;
using Keel.ML.Data;

namespace Keel.Serving.Protocols;

/// <summary>
/// The values of one V2 tensor, flattened from (possibly nested) JSON arrays. Numbers are read as
/// doubles until the datatype is known (it may come after "data"), then converted once.
/// </summary>
internal struct V2Data
{
    private double[]? _numbers;
    private int _firstNull;
    private int _firstOutOfRange;
    private List<string?>? _strings;
    private List<bool>? _bools;

    public int Count { get; private set; }

    public void ReadNested(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            Add(ref reader, index);
            return;
        }

        var depth = 0;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray:
                    depth++;
                    break;
                case JsonTokenType.EndArray:
                    depth--;
                    break;
                default:
                    Add(ref reader, index);
                    break;
            }
        }
        while (depth > 0 && reader.Read());
    }

    private void Add(ref Utf8JsonReader reader, int index)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                _numbers ??= new double[16];
                if (Count == _numbers.Length)
                {
                    Array.Resize(ref _numbers, _numbers.Length * 2);
                }

                if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    // 1 + index, so the default 0 means none.
                    _firstOutOfRange = _firstOutOfRange == 0 ? Count + 1 : _firstOutOfRange;
                }

                _numbers[Count++] = number;
                break;
            case JsonTokenType.String:
                (_strings ??= []).Add(reader.GetString());
                Count++;
                break;
            case JsonTokenType.True or JsonTokenType.False:
                (_bools ??= []).Add(reader.GetBoolean());
                Count++;
                break;
            case JsonTokenType.Null:
                _numbers ??= new double[16];
                if (Count == _numbers.Length)
                {
                    Array.Resize(ref _numbers, _numbers.Length * 2);
                }

                _firstNull = _firstNull == 0 ? Count + 1 : _firstNull;
                _numbers[Count++] = double.NaN;
                break;
            default:
                throw KeelException.InvalidParameter($"inputs[{index}].data must hold numbers, strings or booleans.");
        }
    }

    public readonly BatchColumn ToColumn(string name, string datatype, int width, string label)
    {
        if (_firstNull > 0)
        {
            throw KeelException.InvalidParameter($"The 'data' of {label} holds null at position {_firstNull - 1}; a {datatype} tensor needs a value at every position.");
        }

        if (_firstOutOfRange > 0)
        {
            throw KeelException.InvalidParameter($"The 'data' of {label} holds a number outside the range of a 64-bit float at position {_firstOutOfRange - 1}.");
        }

        var mixed = (_numbers is null ? 0 : 1) + (_strings is null ? 0 : 1) + (_bools is null ? 0 : 1) > 1;
        if (mixed)
        {
            throw KeelException.InvalidParameter($"The 'data' of {label} mixes value types.");
        }

        var numbers = _numbers.AsSpan(0, _strings is null && _bools is null ? Count : 0);
        switch (datatype)
        {
            case "FP64":
                return BatchColumn.Of(name, Numbers(numbers, label, datatype).ToArray(), width);
            case "FP32" or "FP16":
            {
                var n = Numbers(numbers, label, datatype);
                var f = new float[n.Length];
                for (var i = 0; i < f.Length; i++)
                {
                    f[i] = (float)n[i];
                }

                return BatchColumn.Of(name, f, width);
            }

            case "INT8" or "INT16" or "INT32" or "INT64" or "UINT8" or "UINT16" or "UINT32" or "UINT64":
            {
                var n = Numbers(numbers, label, datatype);
                var l = new long[n.Length];
                for (var i = 0; i < l.Length; i++)
                {
                    if (n[i] != Math.Floor(n[i]) || double.IsNaN(n[i]))
                    {
                        throw KeelException.InvalidParameter($"The 'data' of {label} holds {n[i]}, which is not an integer ({datatype}).");
                    }

                    l[i] = (long)n[i];
                }

                return BatchColumn.Of(name, l, width);
            }

            case "BOOL":
                return _bools is not null || Count == 0
                    ? BatchColumn.Of(name, _bools?.ToArray() ?? [], width)
                    : throw KeelException.InvalidParameter($"The 'data' of {label} must hold booleans (BOOL).");
            case "BYTES":
                return _strings is not null || Count == 0
                    ? BatchColumn.Of(name, _strings?.ToArray() ?? [], width)
                    : throw KeelException.InvalidParameter($"The 'data' of {label} must hold strings (BYTES).");
            default:
                throw KeelException.InvalidParameter($"Unsupported 'datatype' {datatype} of {label}: expected FP32, FP64, INT8-64, UINT8-64, BOOL or BYTES.");
        }
    }

    private readonly ReadOnlySpan<double> Numbers(ReadOnlySpan<double> numbers, string label, string datatype) =>
        numbers.Length == Count ? numbers : throw KeelException.InvalidParameter($"The 'data' of {label} must hold numbers ({datatype}).");
}
