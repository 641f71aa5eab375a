using Keel.Core.Errors;
using Keel.ML.Data;
using Microsoft.ML.Data;

namespace Keel.ML.MlNet;

/// <summary>Maps between ML.NET column types, MLflow column types and Keel's column arrays.</summary>
internal static class MlNetTypes
{
    public static string ToMlflowType(DataViewType type, string column) => type switch
    {
        _ when type == NumberDataViewType.Single => "float",
        _ when type == NumberDataViewType.Double => "double",
        _ when type == NumberDataViewType.Int64 => "long",
        _ when type == NumberDataViewType.Int32 => "integer",
        _ when type == BooleanDataViewType.Instance => "boolean",
        TextDataViewType => "string",
        _ => throw KeelException.InvalidParameter($"Input column '{column}' has ML.NET type {type}; Keel saves scalar float, double, long, integer, boolean and string inputs."),
    };

    /// <summary>An array of <paramref name="rows"/> values of the ML.NET type, from a batch column or defaults.</summary>
    public static Array ToArray(DataViewType type, BatchColumn? column, int rows, string name)
    {
        if (type == NumberDataViewType.Single)
        {
            return column is null ? new float[rows] : ColumnConvert.ToFloat(column);
        }

        if (type == NumberDataViewType.Double)
        {
            return column is null ? new double[rows] : ColumnConvert.ToDouble(column);
        }

        if (type == NumberDataViewType.Int64)
        {
            return column is null ? new long[rows] : ColumnConvert.ToLong(column);
        }

        if (type == NumberDataViewType.Int32)
        {
            return column is null ? new int[rows] : Array.ConvertAll(ColumnConvert.ToLong(column), x => (int)x);
        }

        if (type == BooleanDataViewType.Instance)
        {
            return column is null ? new bool[rows] : ColumnConvert.ToBool(column);
        }

        if (type is TextDataViewType)
        {
            var r = new ReadOnlyMemory<char>[rows];
            if (column is not null)
            {
                var s = ColumnConvert.ToStrings(column);
                for (var i = 0; i < rows; i++)
                {
                    r[i] = (s[i] ?? string.Empty).AsMemory();
                }
            }

            return r;
        }

        throw KeelException.InvalidParameter($"Column '{name}' has ML.NET type {type}, which Keel cannot feed.");
    }
}
