using Keel.Core.Errors;
using Keel.ML.Data;
using Keel.ML.Manifest;

namespace Keel.ML;

/// <summary>
/// Checks an input batch against a column signature and coerces each column to its declared
/// type, as MLflow's <c>_enforce_schema</c> does, so flavors can assume well-typed input.
/// </summary>
internal static class InputValidator
{
    /// <summary>Returns the signature's columns, in signature order, converted to their declared types.</summary>
    public static ColumnBatch EnforceColumns(ColumnBatch input, IReadOnlyList<ColumnSpec> columns)
    {
        var result = new List<BatchColumn>(columns.Count);
        for (var i = 0; i < columns.Count; i++)
        {
            var spec = columns[i];

            // MLflow matches unnamed signature columns by position.
            var column = spec.Name is null
                ? (i < input.Columns.Count ? input.Columns[i] : null)
                : input.Find(spec.Name);
            if (column is null)
            {
                if (spec.Required)
                {
                    throw KeelException.InvalidParameter($"Missing column '{spec.Name ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)}' required by the model signature.");
                }

                continue;
            }

            if (column.Width != 1)
            {
                throw KeelException.InvalidParameter($"Column '{column.Name}' must hold one value per row, not {column.Width}.");
            }

            var kind = ColumnConvert.KindOf(spec.Type);
            if (kind != ColumnKind.String && column.Kind == ColumnKind.String && spec.Type is not ("double" or "float" or "long" or "integer" or "boolean"))
            {
                kind = ColumnKind.String;
            }

            result.Add(ColumnConvert.To(column, kind));
        }

        return new ColumnBatch(result);
    }
}
